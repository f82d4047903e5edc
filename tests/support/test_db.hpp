#pragma once

#include "audit/config.hpp"
#include "audit/registry.hpp"
#include "audit/runner.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace test {

// The VAR=value lines of an env file scripts/local-pg.sh wrote.
std::map<std::string, std::string> read_env_file(const std::string& path);

// The variables scripts/local-pg.sh wrote for the test cluster (PGHOST, PGPORT, PGUSER,
// SCHEMA_AUDIT_PG_BIN, SCHEMA_AUDIT_PG_CLIENT_BIN, ...): from the file the environment variable
// SCHEMA_AUDIT_TEST_PG_ENV names (the version matrix's clusters), else the "pg" fixture's.
const std::map<std::string, std::string>& cluster_env();

// The test cluster's major version (13 to 18).
int cluster_major();

// Statements after which the session's statistics (and a statistics reset) are what the next
// audit reads: on 15+ the flush is forced. Before 15, the statistics collector: a backend sends
// them when it goes idle 500 ms or more after its last send (the first sleep), and a reader takes
// the collector's file when it is at most 500 ms old (the second: any file it takes is newer than
// the send). For a psql script as for a session.
inline constexpr const char* k_flush_stats_sql =
  "do $$ begin if pg_catalog.current_setting('server_version_num')::int >= 150000 then "
  "perform pg_catalog.pg_stat_force_next_flush(); else perform pg_catalog.pg_sleep(0.6); end if; end $$;\n"
  "do $$ begin if pg_catalog.current_setting('server_version_num')::int < 150000 then "
  "perform pg_catalog.pg_sleep(0.6); end if; end $$;";

// Connection string of the throwaway cluster the "pg" ctest fixture started (scripts/local-pg.sh),
// for database `dbname`.
std::string cluster_conninfo(const std::string& dbname = "postgres");

// A fresh database on the test cluster, dropped again by the destructor. Each test case makes
// its own, plants its problem and its control, and audits it.
class ScratchDb
{
public:
  // A new empty database, or, given `template_db`, a copy of that database made by
  // CREATE DATABASE ... TEMPLATE (no session may be connected to `template_db` meanwhile).
  explicit ScratchDb(const std::string& template_db = "");
  ~ScratchDb();
  ScratchDb(const ScratchDb&) = delete;
  ScratchDb& operator=(const ScratchDb&) = delete;

  const std::string& name() const { return m_name; }
  std::string conninfo() const { return cluster_conninfo(m_name); }

  // Runs `sql` (several statements allowed) in autocommit mode as the cluster superuser.
  void exec(const std::string& sql) const;
  // Creates `schema` unless it is public, then runs with_schema(schema, sql) as exec_with_stats
  // does: the planted rows' counters are in the statistics before anything that follows (an
  // ANALYZE that must come after them, an audit that reads them).
  void plant(const std::string& schema, const std::string& sql) const;
  // First column of the first row of `sql`, or nullopt for NULL / no row.
  std::optional<std::string> scalar(const std::string& sql) const;

  // Runs `sql` in its own session, then makes sure the session's table and index statistics
  // are flushed before returning, so the next audit sees them (e.g. index scans). A statistics
  // reset of the database goes through here too (`select pg_stat_reset()`).
  void exec_with_stats(const std::string& sql) const;

  // Audits this database with the built-in checks (or only `checks`).
  model::AuditResult audit(const std::vector<std::string>& checks = {},
                           const audit::Config& config = audit::default_config(),
                           const std::optional<model::PreviousSnapshot>& previous = std::nullopt) const;

private:
  std::string m_name;
  mutable int m_stats_markers = 0; // exec_with_stats' marker scans before 15
};

// Audits the database `conninfo` names with the built-in checks (or only `checks`), as
// ScratchDb::audit does its own; `taken_at` (epoch seconds) is the audit's clock, now by
// default (--as-of's: a later one sees every past event as older).
model::AuditResult audit_conninfo(const std::string& conninfo,
                                  const std::vector<std::string>& checks = {},
                                  const audit::Config& config = audit::default_config(),
                                  const std::optional<model::PreviousSnapshot>& previous = std::nullopt,
                                  std::optional<std::int64_t> taken_at = std::nullopt);

// The default config with stats_min_age_days 0: a new cluster's statistics counters, minutes old,
// judged as covering a window long enough for a usage verdict (a DROP or rename, not "not enough
// evidence yet").
audit::Config trusting_config();

// The findings of `check_id` in `result`.
std::vector<model::Finding> findings_of(const model::AuditResult& result, const std::string& check_id);

// Whether `result` has a finding of `check_id` on exactly `object`.
bool has_finding(const model::AuditResult& result, const std::string& check_id, const std::string& object);

// The finding of `check_id` on `object`; fails the test when there is none.
model::Finding finding(const model::AuditResult& result, const std::string& check_id, const std::string& object);

// The reason `check_id` was skipped, or nullopt if it ran.
std::optional<std::string> skip_reason(const model::AuditResult& result, const std::string& check_id);

// Runs the schema-audit binary with `args` (a shell-quoted string); returns exit code and
// stdout/stderr.
struct CommandResult
{
  int exit_code = 0;
  std::string out;
  std::string err;
};
CommandResult run_cli(const std::string& args, const std::string& env = {});

// Shell-quotes `s`.
std::string shell_quote(const std::string& s);

// The whole content of the file at `path` (empty if it cannot be read).
std::string read_file(const std::string& path);

} // namespace test

namespace test {

// The schemas every check test runs in: the default one and a custom one whose name needs
// quoting.
inline const char* const k_public_schema = "public";
inline const char* const k_custom_schema = "App Data \"v2\"";

// `name` quoted as a PostgreSQL identifier.
std::string qi(const std::string& name);

// `name` quoted only when PostgreSQL needs it, as quote_ident() and format('%I') do (for the
// plain lowercase names tests use; keywords are not special-cased).
std::string ident(const std::string& name);

// `sql` with every "$s" replaced by the quoted schema `schema`. Lets one fixture plant the same
// objects in any schema (ScratchDb::plant creates the schema first).
std::string with_schema(const std::string& schema, const std::string& sql);

} // namespace test
