#pragma once

#include "audit/audit_options.hpp"
#include "model/check.hpp"
#include "model/severity.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace audit {

// A suppressed finding: by fingerprint, or by check + object glob. Returns after `expires`.
struct Suppression
{
  std::string check;       // check id; empty = any
  std::string object;      // glob on the finding's object; empty = any
  std::string fingerprint; // exact; empty = any
  std::string reason;
  std::optional<std::int64_t> expires; // epoch seconds
};

// A database of a fleet audit.
struct TargetConfig
{
  std::string name;
  std::string db; // libpq connection string, URL or "service=name"
  // Its read replicas, as db (audit --replica): their usage counters are added to db's.
  std::vector<std::string> replicas;
  // Its server's query logs, as audit --query-log (paths or globs), and the server's
  // log_line_prefix for those in the stderr format (detected when not given).
  std::vector<std::string> query_logs;
  std::optional<std::string> log_line_prefix;
};

// How a [checks.<id>] param is written in the config: the type of its TOML value and where it
// is, for checking it against the type the check declares (Registry::check_config).
struct ParamSource
{
  model::ParamType type = model::ParamType::text;
  std::string where; // "FILE:LINE"
};

struct CheckSettings
{
  bool enabled = true;
  std::optional<model::Severity> severity;
  std::map<std::string, std::string> params; // overrides of the check's params
  std::map<std::string, ParamSource> param_sources;
};

// The TOML config (--config, or ./schema-audit.toml). See README "Configuration".
struct Config
{
  std::vector<std::string> include_schemas; // globs; empty = all
  std::vector<std::string> exclude_schemas; // globs
  std::vector<std::string> exclude_tables;  // globs on schema.table
  // Schemas that well-known extensions create for their own tables (pg_partman's partition
  // templates and config, pg_cron, pg_repack, PostGIS topology, pgAgent, TimescaleDB's
  // internals): not the application's, so skipped like exclude_schemas. [] audits them.
  std::vector<std::string> extension_schemas;
  // Values any check may take as a param of the same name (e.g. tenant_keys), as text ready to
  // bind: arrays become PostgreSQL array literals.
  std::map<std::string, std::string> globals;
  std::map<std::string, CheckSettings> checks;
  std::vector<Suppression> suppressions;
  std::vector<TargetConfig> targets;
  SessionLimits limits;
  int deprecation_grace_days = 30;
  int stats_min_age_days = 30;

  // The value a check's param of this name takes from the config, as text ready to bind: a
  // setting kept as a member (stats_min_age_days, which C++ checks read too), else `globals`.
  std::optional<std::string> global(const std::string& name) const;
  // The names global() knows, for an error that lists them.
  std::vector<std::string> global_names() const;

  // Whether objects of `schema` (and `schema.table`, when given) are audited.
  bool includes(const std::string& schema, const std::string& table = {}) const;
};

// Defaults: the tenant keys and deprecation patterns of the README.
Config default_config();

// Throws util::Fatal(config) "FILE:LINE: ..." for bad TOML, unknown keys, wrong types and
// impossible values.
Config load_config(const std::filesystem::path& path);
Config parse_config(std::string_view text, const std::string& source);

} // namespace audit
