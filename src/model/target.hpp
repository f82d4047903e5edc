#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace model {

// Where an audit connected to. Never holds a password: this is what history, reports and logs
// may show.
struct Target
{
  std::string host;
  std::string port;
  std::string dbname;
  std::string user;

  // "dbname on host:port", for messages.
  std::string display() const;
};

// What the target server and the auditing role can do, probed once per audit.
struct Capabilities
{
  int server_version_num = 0;     // e.g. 150004
  std::string server_version;     // e.g. "15.4"
  std::set<std::string> extensions;
  bool can_read_all_stats = false; // superuser or member of pg_read_all_stats
  bool is_superuser = false;
  std::optional<std::string> stats_reset; // pg_stat_database.stats_reset, ISO 8601
  std::optional<std::string> postmaster_start; // ISO 8601
  // Where usage happens that this server's counters do not see: standbys streaming from it
  // (pg_stat_replication rows), or this server being a standby itself.
  int standbys = 0;
  bool in_recovery = false;
  std::string database; // current_database(), as metric "database ..." names it
  // pg_stat_database's rows inserted, updated and deleted in this database since stats_reset:
  // whether anything at all was written between two audits (metric "database tuples_written").
  std::optional<std::int64_t> tuples_written;

  int major() const { return server_version_num / 10000; }
};

} // namespace model
