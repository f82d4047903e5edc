#pragma once

#include "audit/check_context.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace audit::checks {

// The statements the query logs (AuditOptions::query_log) hold for the audited database, as the
// statement-driven checks take pg_stat_statements' rows: {"queryid": "log:<fingerprint>",
// "query", "calls", "total_ms", "source": "log"}. Only normalized texts: the constants of the
// logged statements never reach a finding.
struct LoggedStatements
{
  bool given = false; // the audit has query logs
  std::vector<nlohmann::json> statements;
  std::int64_t executions = 0; // the calls of `statements`
  double period_days = 0;
  // Words of logged statements that did not parse (a column named there may be read).
  std::set<std::string> unparsed_words;
  std::uint64_t unparsed = 0;
  // What a finding resting on them says: the files, the period (first and last timestamp and
  // its days), the statement and execution counts, and what could not be read.
  nlohmann::json evidence;

  // "N statement(s) run M time(s) in the query logs from A to B (D days)"
  std::string describe() const;
};

LoggedStatements logged_statements(const CheckContext& ctx);

} // namespace audit::checks
