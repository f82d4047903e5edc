#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace test {

namespace {

std::string
random_suffix()
{
  std::random_device rd;
  return fmt::format("{:08x}", rd());
}

} // namespace

std::string
read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string>
read_env_file(const std::string& path)
{
  std::ifstream in(path);
  if (!in) {
    FAIL("no test cluster: " << path << " is missing. Run the tests through ctest, which starts the cluster "
         "(fixture pg_cluster_start).");
  }
  std::map<std::string, std::string> vars;
  for (std::string line; std::getline(in, line);) {
    if (const auto eq = line.find('='); eq != std::string::npos) {
      vars[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return vars;
}

const std::map<std::string, std::string>&
cluster_env()
{
  static const auto env = [] {
    const char* override_path = std::getenv("SCHEMA_AUDIT_TEST_PG_ENV");
    return read_env_file(override_path != nullptr && *override_path != '\0' ? override_path : SCHEMA_AUDIT_TEST_PG_ENV);
  }();
  return env;
}

int
cluster_major()
{
  static const int major = [] {
    pqxx::connection c(cluster_conninfo());
    return c.server_version() / 10000;
  }();
  return major;
}

std::string
cluster_conninfo(const std::string& dbname)
{
  const auto& env = cluster_env();
  return fmt::format("host={} port={} user={} dbname={}", env.at("PGHOST"), env.at("PGPORT"), env.at("PGUSER"), dbname);
}

ScratchDb::ScratchDb(const std::string& template_db)
  : m_name("sa_test_" + random_suffix())
{
  pqxx::connection c(cluster_conninfo());
  pqxx::nontransaction tx(c);
  tx.exec(template_db.empty() ? fmt::format("create database {}", m_name)
                              : fmt::format("create database {} template {}", m_name, qi(template_db)));
}

ScratchDb::~ScratchDb()
{
  try {
    pqxx::connection c(cluster_conninfo());
    pqxx::nontransaction tx(c);
    tx.exec(fmt::format("drop database if exists {} with (force)", m_name));
  } catch (...) {
    // The cluster is removed at the end of the run anyway.
  }
}

void
ScratchDb::plant(const std::string& schema, const std::string& sql) const
{
  if (schema != "public") {
    exec(fmt::format("create schema if not exists {}", qi(schema)));
  }
  exec_with_stats(with_schema(schema, sql));
}

void
ScratchDb::exec(const std::string& sql) const
{
  pqxx::connection c(conninfo());
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

std::optional<std::string>
ScratchDb::scalar(const std::string& sql) const
{
  pqxx::connection c(conninfo());
  pqxx::nontransaction tx(c);
  const auto r = tx.exec(sql);
  if (r.empty() || r[0][0].is_null()) {
    return std::nullopt;
  }
  return std::string(r[0][0].c_str());
}

void
ScratchDb::exec_with_stats(const std::string& sql) const
{
  {
    pqxx::connection c(conninfo());
    pqxx::nontransaction tx(c);
    tx.exec(sql);
    if (cluster_major() >= 15) {
      // The backend flushes its pending statistics before it reports ready for the next query.
      tx.exec("select pg_catalog.pg_stat_force_next_flush()");
      tx.exec("select 1");
      return;
    }
    // Before 15 the statistics collector gets them over UDP, in order but late, and a reader may
    // take its file of half a second ago. A marker goes last: a sequential scan of pg_seclabel,
    // which nothing else in this database scans. Once another session sees the marker's count,
    // the file every later reader takes holds what this session did before it (the session sends
    // it all as it ends). A pg_stat_reset() in `sql` zeroes the count first; a plan setting of
    // `sql` must not turn the scan into an index scan.
    // After a reset the marker scans once more than the count before it, so the count before the
    // reset is never mistaken for the marker.
    const bool reset = sql.find("pg_stat_reset()") != std::string::npos;
    const int scans = reset ? m_stats_markers + 1 : 1;
    tx.exec("reset all");
    for (int i = 0; i < scans; ++i) {
      tx.exec("select count(*) from pg_catalog.pg_seclabel");
    }
    m_stats_markers = reset ? scans : m_stats_markers + 1;
  }
  pqxx::connection c(conninfo());
  pqxx::nontransaction tx(c);
  const auto seen = fmt::format("select pg_catalog.pg_stat_get_numscans('pg_catalog.pg_seclabel'::regclass) = {}",
                                m_stats_markers);
  for (int attempt = 0; attempt < 100; ++attempt) {
    tx.exec("select pg_catalog.pg_stat_clear_snapshot()");
    if (std::string(tx.exec(seen)[0][0].c_str()) == "t") {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the statistics collector did not show the session's counters within 10 s");
}

model::AuditResult
ScratchDb::audit(const std::vector<std::string>& checks,
                 const audit::Config& config,
                 const std::optional<model::PreviousSnapshot>& previous) const
{
  return audit_conninfo(conninfo(), checks, config, previous);
}

audit::Config
trusting_config()
{
  auto config = audit::default_config();
  config.stats_min_age_days = 0;
  return config;
}

model::AuditResult
audit_conninfo(const std::string& conninfo,
               const std::vector<std::string>& checks,
               const audit::Config& config,
               const std::optional<model::PreviousSnapshot>& previous,
               std::optional<std::int64_t> taken_at)
{
  static const auto registry = audit::Registry::load();
  audit::AuditOptions options;
  options.conninfo = conninfo;
  options.jobs = 2;
  options.taken_at = taken_at.value_or(std::time(nullptr));
  options.only_checks.insert(checks.begin(), checks.end());
  if (previous) {
    options.load_previous = [previous](const model::Target&) { return previous; };
  }
  auto result = audit::run_audit(registry, config, options);
  result.restore_suppressed(); // the tests read every finding's words (findings are read whole)
  return result;
}

std::vector<model::Finding>
findings_of(const model::AuditResult& result, const std::string& check_id)
{
  std::vector<model::Finding> out;
  for (const auto& f : result.findings) {
    if (f.check_id == check_id) {
      out.push_back(f);
    }
  }
  return out;
}

bool
has_finding(const model::AuditResult& result, const std::string& check_id, const std::string& object)
{
  for (const auto& f : result.findings) {
    if (f.check_id == check_id && f.object == object) {
      return true;
    }
  }
  return false;
}

model::Finding
finding(const model::AuditResult& result, const std::string& check_id, const std::string& object)
{
  for (const auto& f : result.findings) {
    if (f.check_id == check_id && f.object == object) {
      return f;
    }
  }
  std::string seen;
  for (const auto& f : result.findings) {
    seen += fmt::format("\n  {} {}", f.check_id, f.object);
  }
  FAIL(fmt::format("no {} finding on {}; findings:{}", check_id, object, seen));
  throw std::logic_error("unreachable");
}

std::optional<std::string>
skip_reason(const model::AuditResult& result, const std::string& check_id)
{
  for (const auto& s : result.skipped) {
    if (s.check_id == check_id) {
      return s.reason;
    }
  }
  return std::nullopt;
}

std::string
shell_quote(const std::string& s)
{
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult
run_cli(const std::string& args, const std::string& env)
{
  char out_path[] = "/tmp/sa-cli-out.XXXXXX";
  char err_path[] = "/tmp/sa-cli-err.XXXXXX";
  const int out_fd = mkstemp(out_path);
  const int err_fd = mkstemp(err_path);
  close(out_fd);
  close(err_fd);
  const auto command = fmt::format("{} {} {} >{} 2>{} </dev/null", env, SCHEMA_AUDIT_BINARY, args, out_path, err_path);
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::remove(out_path);
  std::remove(err_path);
  return result;
}

} // namespace test

namespace test {

std::string
qi(const std::string& name)
{
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::string
ident(const std::string& name)
{
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (const char c : name) {
    plain = plain && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
  }
  return plain ? name : qi(name);
}

std::string
with_schema(const std::string& schema, const std::string& sql)
{
  std::string out;
  const auto quoted = qi(schema);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] == 's') {
      out += quoted;
      ++i;
    } else {
      out += sql[i];
    }
  }
  return out;
}

} // namespace test
