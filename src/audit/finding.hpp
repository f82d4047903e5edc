#pragma once

#include "audit/severity.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace audit {

struct Finding
{
  std::string check_id;
  std::string category;
  Severity severity = Severity::medium;
  Effort effort = Effort::low;
  std::string schema_name;
  std::string object;      // schema-qualified display name: schema.table[.column]
  std::string object_type; // table, index, column, sequence, constraint, ...
  std::string message;
  nlohmann::json evidence = nlohmann::json::object();
  std::string remediation;
  // How to roll each step of the remediation back; empty when it has none.
  std::string undo;
  // Stable across snapshots: a hash of the check id and the object's identity, never of the
  // numbers in the evidence.
  std::string fingerprint;
};

struct SkippedCheck
{
  std::string check_id;
  std::string reason;
};

// A per-object number kept in history for trends and for history-aware checks, e.g.
// {"index", "public.users_email_idx", "idx_scan", 42}.
struct Metric
{
  std::string object_type;
  std::string object;
  std::string metric;
  double value = 0;
};

struct CheckTiming
{
  std::string check_id;
  double milliseconds = 0;
  std::size_t rows = 0;
};

// The fingerprint of `check_id` on the object whose identity is `identity`.
std::string make_fingerprint(std::string_view check_id, std::string_view identity);

// Fix-first order: priority score, then check id and object, so reports are deterministic.
void sort_by_priority(std::vector<Finding>& findings);

} // namespace audit
