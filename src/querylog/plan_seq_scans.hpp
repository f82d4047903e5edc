#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace querylog {

// A Seq Scan node of an auto_explain plan.
struct SeqScanNode
{
  std::string schema; // empty unless the plan says (auto_explain.log_verbose)
  std::string relation;
  // The node's Filter with its constants masked (statement_shape): "(customer_id = ?)". Empty
  // without a filter.
  std::string filter;
  double rows_removed = 0; // Rows Removed by Filter (per loop, as EXPLAIN shows it)
  double loops = 1;
  double total_ms = 0; // actual total time per loop x loops (log_analyze); 0 without it
};

// The Seq Scan nodes of an auto_explain plan as it is logged after "plan:", in the text or the
// JSON format (auto_explain.log_format). Nullopt when `plan` is neither.
std::optional<std::vector<SeqScanNode>> plan_seq_scans(std::string_view plan);

} // namespace querylog
