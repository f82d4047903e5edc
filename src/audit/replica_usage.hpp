#pragma once

#include "model/check.hpp"
#include "model/finding.hpp"
#include "pg/session.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace audit {

// The input queries/inputs/replica_usage.sql: read on the replicas, never on the audited server.
inline constexpr std::string_view k_replica_usage_input = "replica_usage";

// A replica whose counters were added to the primary's.
struct CountedReplica
{
  std::string name; // "database \"x\" on host:port": never a password
  // Start of its counters (its own pg_stat_database.stats_reset, else its postmaster start),
  // epoch seconds; nullopt when it says neither.
  std::optional<std::int64_t> stats_since;
  // In recovery (a physical standby): one of the standbys pg_stat_replication may list.
  bool standby = false;
};

// A replica given but not counted, and why (one line, no password).
struct MissedReplica
{
  std::string name;
  std::string reason;
};

// The usage counters of every replica of an audit (--replica, a target's replicas), read once
// per audit and summed by schema and relation name.
struct ReplicaUsage
{
  // Whether any replica was given: evidence.replicas_counted is written only then.
  bool configured = false;
  std::vector<CountedReplica> counted;
  std::vector<MissedReplica> missed;
  // {"<schema>": {"<relation>": [seq_scan, idx_scan]}} summed over `counted`: what the checks
  // that declare the input get ("{}" without replicas).
  std::string json = "{}";
  // Statement time of the reads, for the audit's query_ms.
  double milliseconds = 0;
};

// Reads `input` (replica_usage) on each of `replicas` in a session of its own with `settings`
// (read-only, the audit's timeouts and application_name). A replica that cannot be reached, whose
// read fails, or that holds another database than `database` is listed in `missed` with its
// reason; the audit goes on.
ReplicaUsage read_replica_usage(const model::CheckDef& input,
                                const std::vector<std::string>& replicas,
                                const pg::SessionSettings& settings,
                                const std::string& database);

// How `conninfo` names its server in messages, without connecting and without its password.
std::string replica_name(const std::string& conninfo);

} // namespace audit
