#pragma once

#include "audit/audit_options.hpp"
#include "audit/config.hpp"
#include "model/snapshot.hpp"
#include "audit/registry.hpp"
#include "pg/session.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace audit {

// Connects, probes, runs every enabled check (concurrently over `jobs` connections that share
// one exported snapshot) and maps rows to findings. A check that fails or whose needs are not
// met is recorded in `skipped`; a lost connection throws util::Fatal(connection).
model::AuditResult run_audit(const Registry& registry, const Config& config, const AuditOptions& options);

// The query logs `patterns` (paths or globs; `log_line_prefix` the server's setting, for stderr
// logs), read and aggregated. Throws util::Fatal(`code`) naming the file when one is missing or
// unreadable.
std::shared_ptr<const querylog::QueryLog> read_query_logs(const std::vector<std::string>& patterns,
                                                          const std::optional<std::string>& log_line_prefix,
                                                          util::ExitCode code);

// A database of a fleet audit and how it went.
struct FleetOutcome
{
  std::string name;                  // the [[targets]] name
  std::optional<model::AuditResult> result; // set when the audit ran
  std::string error;                 // why not, when it did not (never holds a password)
  util::ExitCode code = util::ExitCode::ok;
};

// How a fleet audit spreads `jobs` connections over its targets: min(jobs, targets) targets at
// a time, each with jobs / that many connections (at least one).
struct FleetPlan
{
  int parallel_targets = 1;
  int jobs_per_target = 1;
};
FleetPlan plan_fleet(int jobs, std::size_t target_count);

// Audits every target of `targets` with `options` (its conninfo and load_previous are replaced
// per target; `load_previous` gets the target's name) using at most `options.jobs` connections
// overall. A target that cannot be audited (no connection, lost connection) is recorded in its
// outcome and the others go on. `on_done` is called once per target as it finishes, never
// concurrently; if it throws, no further target starts and the exception is rethrown once the
// running ones finish. Outcomes are in the order of `targets`.
std::vector<FleetOutcome> run_fleet(const Registry& registry,
                                    const Config& config,
                                    const AuditOptions& options,
                                    const std::vector<TargetConfig>& targets,
                                    const std::function<std::optional<model::PreviousSnapshot>(const std::string& name)>& load_previous,
                                    const std::function<void(FleetOutcome&)>& on_done);

} // namespace audit
