#pragma once

#include "model/snapshot.hpp"
#include "pg/session.hpp"
#include "querylog/query_log.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace audit {

// The session limits and parallelism that a config's [audit] and the command line may set; each
// one unset keeps the value it had (AuditOptions' default, or the config's under a flag).
struct SessionLimits
{
  std::optional<int> statement_timeout_ms;
  std::optional<int> lock_timeout_ms;
  std::optional<int> jobs;
};

// How one audit runs: where, under which session limits, with how many connections, and what
// the caller supplies (the previous snapshot, progress reports).
struct AuditOptions
{
  std::string conninfo;
  // Read replicas of the target (--replica, a target's replicas): their usage counters are added
  // to the target's before anything is judged unused (audit/replica_usage.hpp).
  std::vector<std::string> replicas;
  // The statements of the target's query logs (--query-log, a target's query_logs), read before
  // the audit: the statement-driven checks parse them as they parse pg_stat_statements'. Null
  // without query logs.
  std::shared_ptr<const querylog::QueryLog> query_log;
  pg::SessionSettings session;
  int jobs = 2;
  std::int64_t taken_at = 0; // the snapshot's time (now, or --as-of)
  // Called once connected: the target's previous snapshot, for history-aware checks.
  std::function<std::optional<model::PreviousSnapshot>(const model::Target&)> load_previous;
  // Opt-in modes a check may need, e.g. "exact_bloat" (pgstattuple).
  std::set<std::string> opt_ins;
  // Read the schema's catalog for the history's schema changes (audit/read_catalog.hpp); off when
  // no history takes the snapshot.
  bool read_catalog = true;
  // Only these checks (empty = all enabled ones).
  std::set<std::string> only_checks;
  // Called after each check, from the thread that ran it (serialised by the runner).
  std::function<void(std::size_t done, std::size_t total, std::string_view check_id)> progress;

  // Takes the limits `limits` sets.
  void limit(const SessionLimits& limits)
  {
    session.statement_timeout_ms = limits.statement_timeout_ms.value_or(session.statement_timeout_ms);
    session.lock_timeout_ms = limits.lock_timeout_ms.value_or(session.lock_timeout_ms);
    jobs = limits.jobs.value_or(jobs);
  }
};

} // namespace audit
