#include "audit/replica_usage.hpp"

#include "audit/counters_since.hpp"

#include "pg/conninfo.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <map>

namespace audit {

namespace {

// seq_scan and idx_scan of one relation, summed over the replicas.
using Scans = std::array<std::int64_t, 2>;
using ScansByName = std::map<std::string, std::map<std::string, Scans>>;

std::int64_t
count_of(const std::optional<std::string>& value)
{
  return value ? std::stoll(*value) : 0;
}

// Adds the rows of replica_usage (schema_name, relation_name, seq_scan, idx_scan) to `sums`.
void
add_rows(const pg::QueryResult& result, ScansByName& sums)
{
  const auto column = [&](std::string_view name) {
    const auto i = result.column(name);
    if (!i) {
      throw util::Error(fmt::format("input {} returns no \"{}\" column", k_replica_usage_input, name));
    }
    return *i;
  };
  const auto schema = column("schema_name");
  const auto relation = column("relation_name");
  const auto seq_scan = column("seq_scan");
  const auto idx_scan = column("idx_scan");
  for (const auto& row : result.rows) {
    auto& scans = sums[row[schema].value_or("")][row[relation].value_or("")];
    scans[0] += count_of(row[seq_scan]);
    scans[1] += count_of(row[idx_scan]);
  }
}

std::string
as_json(const ScansByName& sums)
{
  auto out = nlohmann::json::object();
  for (const auto& [schema, relations] : sums) {
    auto& by_relation = out[schema];
    for (const auto& [relation, scans] : relations) {
      by_relation[relation] = nlohmann::json::array({scans[0], scans[1]});
    }
  }
  // Names that are not UTF-8 (a SQL_ASCII database) are replaced, as in the other inputs: such
  // a relation then finds no replica counters rather than failing every check.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string
replica_name(const std::string& conninfo)
{
  return pg::conninfo_target(conninfo).display();
}

ReplicaUsage
read_replica_usage(const model::CheckDef& input,
                   const std::vector<std::string>& replicas,
                   const pg::SessionSettings& settings,
                   const std::string& database)
{
  ReplicaUsage usage;
  usage.configured = !replicas.empty();
  auto replica_settings = settings;
  replica_settings.conninfo_option = "--replica";
  ScansByName sums;
  for (const auto& conninfo : replicas) {
    auto name = replica_name(conninfo);
    try {
      pg::Session session(conninfo, replica_settings);
      name = session.target().display();
      const auto caps = session.probe();
      if (caps.database != database) {
        // Counters of another database's relations would be added to same-named ones here.
        usage.missed.push_back(MissedReplica{name, fmt::format("it holds database \"{}\", not the audited \"{}\"; "
                                                               "give the replica's dbname",
                                                               caps.database, database)});
        continue;
      }
      const auto result = session.run(fmt::format("input {} on replica {}", k_replica_usage_input, name),
                                      input.sql_for(caps.major()));
      add_rows(result, sums);
      usage.milliseconds += static_cast<double>(result.elapsed.count()) / 1000.0;
      usage.counted.push_back(CountedReplica{name, counters_since(caps), caps.in_recovery});
      util::log(util::LogLevel::info, "replica {}: usage counters of {} relation(s) counted", name, result.rows.size());
    } catch (const std::runtime_error& e) { // util::Fatal (no connection), pg::QueryFailed, util::Error
      // libpq does not quote a password, but the message may quote a connection string.
      usage.missed.push_back(MissedReplica{name, util::redact_passwords(e.what())});
    }
  }
  for (const auto& m : usage.missed) {
    util::log(util::LogLevel::info, "replica {} not counted: {}", m.name, m.reason);
  }
  usage.json = as_json(sums);
  return usage;
}

} // namespace audit
