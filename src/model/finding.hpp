#pragma once

#include "model/severity.hpp"
#include "util/interned.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace model {

// A finding without its words (message, remediation, undo) and evidence: what ordering, grouping,
// suppressing and storing the findings read, and all an audit holds in memory of each one while
// its words wait in a FindingSpill (model::FindingList, #19). The fields whose values repeat
// across findings (check, category, object type, schema, confidence, group) are util::Interned:
// a pointer each instead of a string.
struct FindingHead
{
  util::Interned check_id;
  util::Interned category;
  Severity severity = Severity::medium;
  Effort effort = Effort::low;
  util::Interned schema_name;
  std::string object;         // schema-qualified display name: schema.table[.column]
  util::Interned object_type; // table, index, column, sequence, constraint, ...
  // How far a usage verdict (unused_index, unused_table) can be trusted: "high", "medium" or
  // "low", from the window the counters cover, the traffic seen in it and the servers whose
  // usage the counters miss (evidence.confidence_basis says which). Empty for findings read
  // from the catalog or the data, which are not verdicts on usage.
  util::Interned confidence;
  // The entry the finding is shown in (audit::assign_groups): findings of one check that share a
  // cause (one decision) carry the same id, e.g. the same table in many tenant schemas, the
  // partitions of one table, or every finding of a design-wide check. A stable hash of the check
  // and the shared cause; the finding keeps its own fingerprint, suppression and history.
  util::Interned group_id;
  // The cause the check's row names (the alias `entry`: "empty or tiny", "character(36) ->
  // character varying(40)"), which one decision settles for every finding that has it: their
  // entry, and what its heading says after the count. Empty when the check names none.
  util::Interned entry;
  // Stable across snapshots: a hash of the check id and the object's identity, never of the
  // numbers in the evidence.
  std::string fingerprint;
  // Where a FindingSpill holds this finding's words and evidence while they are out of memory
  // (FindingSpill::whole() reads them back); -1 when they are in the Finding's members. Never
  // stored or written out.
  std::int64_t spilled_at = -1;
};

struct Finding : FindingHead
{
  std::string message;
  nlohmann::json evidence = nlohmann::json::object();
  std::string remediation;
  // How to roll each step of the remediation back; empty when it has none.
  std::string undo;
};

// Why a check has no result in a snapshot: a documented need the target does not meet, or a
// run that failed. The history stores it by name (to_string).
enum class SkipCause {
  unmet_need,        // an extension, pg_monitor, a previous snapshot, an --opt-in, a newer server
  lock_timeout,      // waited past --lock-timeout for a lock another session holds
  statement_timeout, // ran past --statement-timeout (or the client's deadline)
  cancelled,         // cancelled by another session (pg_cancel_backend)
  no_privilege,      // the server refused a read (SQLSTATE 42501)
  error,             // any other failure of the query or of reading its rows
};

std::string_view to_string(SkipCause cause);
std::optional<SkipCause> parse_skip_cause(std::string_view text);

// A check without a result in a snapshot: its findings there are "not checked", never fixed.
struct SkippedCheck
{
  std::string check_id;
  std::string reason; // one line, with a hint
  SkipCause cause = SkipCause::unmet_need;

  // The check started and did not finish, as opposed to being skipped for an unmet need.
  bool failed() const { return cause != SkipCause::unmet_need; }
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
// For a list of Finding or of FindingHead.
template<typename F>
void sort_by_priority(std::vector<F>& findings);

} // namespace model
