#pragma once

#include "audit/config.hpp"
#include "audit/finding.hpp"
#include "audit/registry.hpp"
#include "pg/session.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace audit {

// What history-aware checks need from the target's previous snapshot.
struct PreviousSnapshot
{
  std::int64_t taken_at = 0;
  std::optional<std::string> stats_reset;
  // metric_key(object_type, object, metric) -> value
  std::map<std::string, double> metrics;
  // fingerprint -> when the finding was first seen (epoch seconds), over the whole history
  std::map<std::string, std::int64_t> first_seen;
};

std::string metric_key(std::string_view object_type, std::string_view object, std::string_view metric);

struct AuditOptions
{
  std::string conninfo;
  pg::SessionSettings session;
  int jobs = 2;
  std::int64_t taken_at = 0; // the snapshot's time (now, or --as-of)
  // Called once connected: the target's previous snapshot, for history-aware checks.
  std::function<std::optional<PreviousSnapshot>(const pg::Target&)> load_previous;
  // Opt-in modes a check may need, e.g. "exact_bloat" (pgstattuple).
  std::set<std::string> opt_ins;
  // Only these checks (empty = all enabled ones).
  std::set<std::string> only_checks;
  // Called after each check, from the thread that ran it (serialised by the runner).
  std::function<void(std::size_t done, std::size_t total, std::string_view check_id)> progress;
};

struct SuppressedFinding
{
  Finding finding;
  std::string reason;
};

struct AuditResult
{
  pg::Target target;
  pg::Capabilities capabilities;
  std::optional<PreviousSnapshot> previous;
  std::int64_t taken_at = 0;
  std::vector<Finding> findings; // fix-first order
  std::vector<SuppressedFinding> suppressed;
  std::vector<SkippedCheck> skipped;
  std::vector<Metric> metrics;
  std::vector<CheckTiming> timings;
  double wall_ms = 0;
  double query_ms = 0; // sum of the checks' statement times
};

// Connects, probes, runs every enabled check (concurrently over `jobs` connections that share
// one exported snapshot) and maps rows to findings. A check that fails or whose needs are not
// met is recorded in `skipped`; a lost connection throws util::Fatal(connection).
AuditResult run_audit(const Registry& registry, const Config& config, const AuditOptions& options);

// Why `def` cannot run against a server with `caps` under `options`, or nullopt if it can.
std::optional<std::string> unmet_need(const CheckDef& def,
                                      const pg::Capabilities& caps,
                                      const AuditOptions& options,
                                      bool has_previous);

} // namespace audit
