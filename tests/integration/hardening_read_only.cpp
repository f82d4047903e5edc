// The audit is harmless to the database it audits: it runs as a least-privileged role, sends
// only reads, takes no lock above ACCESS SHARE and writes nothing.
#include "integration/hardening_sql.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using namespace test;

namespace {

std::string
unique_name(const std::string& prefix)
{
  std::random_device rd;
  return fmt::format("{}_{:08x}", prefix, rd());
}

// Runs `sql` as the superuser on database `dbname`.
void
exec_on(const std::string& dbname, const std::string& sql)
{
  pqxx::connection c(cluster_conninfo(dbname));
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

// A login role for the audit: `with_monitor` adds pg_monitor. CONNECT on `db` is granted to the
// role alone (PUBLIC loses it), nothing else.
std::string
make_role(const ScratchDb& db, bool with_monitor)
{
  const auto role = unique_name("sa_role");
  exec_on("postgres", fmt::format("create role {} login{}", role, with_monitor ? " in role pg_monitor" : ""));
  exec_on("postgres", fmt::format("revoke connect on database {} from public; grant connect on database {} to {}",
                                  db.name(), db.name(), role));
  return role;
}

// The planted problem of these tests: an invalid index in public and in the custom schema, next
// to valid ones.
void
plant(const ScratchDb& db)
{
  for (const std::string schema : {k_public_schema, k_custom_schema}) {
    db.plant(schema, R"(
      create table $s.orders(id int primary key, code text, customer_id int);
      insert into $s.orders select g, 'c' || (g % 10), g % 7 from generate_series(1, 200) g;
      create index orders_customer_idx on $s.orders(customer_id);
    )");
    CHECK_THROWS(db.exec(with_schema(schema, "create unique index concurrently orders_code_key on $s.orders(code)")));
  }
}

model::AuditResult
audit_as(const ScratchDb& db, const std::string& role, const audit::Registry& registry)
{
  audit::AuditOptions options;
  options.conninfo = db.conninfo() + " user=" + role;
  options.jobs = 2;
  options.taken_at = std::time(nullptr);
  return audit::run_audit(registry, audit::default_config(), options);
}

std::vector<std::string>
fingerprints(const model::AuditResult& result)
{
  std::vector<std::string> out;
  for (const auto& f : result.findings) {
    out.push_back(f.check_id.str() + " " + f.object);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string>
skips(const model::AuditResult& result)
{
  std::map<std::string, std::string> out;
  for (const auto& s : result.skipped) {
    out[s.check_id] = s.reason;
  }
  return out;
}

std::filesystem::path
write_query(const std::filesystem::path& dir, const std::string& id, const std::string& text)
{
  std::filesystem::create_directories(dir);
  const auto path = dir / (id + ".sql");
  std::ofstream(path) << text;
  return path;
}

} // namespace

TEST_CASE("hardening: a role with only pg_monitor and CONNECT runs every check the superuser runs",
          "[hardening][privileges]")
{
  ScratchDb db;
  plant(db);
  const auto role = make_role(db, true);
  const auto registry = audit::Registry::load();

  const auto as_superuser = db.audit();
  const auto as_monitor = audit_as(db, role, registry);
  CHECK(as_monitor.target.user == role);
  for (const auto& [check, reason] : skips(as_monitor)) {
    INFO(check << ": " << reason);
    CHECK(reason.find("42501") == std::string::npos);
    CHECK(reason.find("permission denied") == std::string::npos);
  }
  CHECK(skips(as_monitor) == skips(as_superuser));
  CHECK(fingerprints(as_monitor) == fingerprints(as_superuser));
  CHECK(has_finding(as_monitor, "invalid_index", std::string(k_public_schema) + ".orders_code_key"));
  CHECK(has_finding(as_monitor, "invalid_index", ident(k_custom_schema) + ".orders_code_key"));
}

TEST_CASE("hardening: without pg_monitor, checks that need it are skipped with a reason and the rest run",
          "[hardening][privileges]")
{
  ScratchDb db;
  plant(db);
  const auto role = make_role(db, false);
  const auto dir = std::filesystem::temp_directory_path() / unique_name("sa_queries");
  // One check declares the need; one finds out at run time (pg_ls_dir needs a grant).
  write_query(dir, "zz_needs_stats", R"(-- id: zz_needs_stats
-- category: test_needs_stats
-- needs: read_all_stats
--
select query as object, 'statement' as object_type, 'seen' as message from pg_catalog.pg_stat_activity
)");
  write_query(dir, "zz_denied", R"(-- id: zz_denied
-- category: test_denied
--
select f as object, 'file' as object_type, 'listed' as message from pg_catalog.pg_ls_dir('.') f
)");
  const auto registry = audit::Registry::load(dir);
  std::filesystem::remove_all(dir);

  const auto result = audit_as(db, role, registry);
  const auto reasons = skips(result);
  REQUIRE(reasons.count("zz_needs_stats"));
  CHECK(reasons.at("zz_needs_stats") == "needs pg_read_all_stats (grant pg_monitor to the auditing role)");
  REQUIRE(reasons.count("zz_denied"));
  CHECK_THAT(reasons.at("zz_denied"), Catch::Contains("permission denied")
                                        && Catch::Contains("(SQLSTATE 42501); grant the auditing role pg_monitor"));
  for (const auto& [check, reason] : reasons) {
    INFO(check);
    CHECK_FALSE(reason.empty());
  }
  CHECK(has_finding(result, "invalid_index", std::string(k_public_schema) + ".orders_code_key"));
  CHECK(has_finding(result, "invalid_index", ident(k_custom_schema) + ".orders_code_key"));
  CHECK(findings_of(result, "invalid_index").size() == 2);
}

namespace {

struct LoggedStatement
{
  std::string pid;
  std::string sql;
};

// The statements the server logged (log_statement) after byte `offset` of its log: simple-query
// "statement: ..." and extended-protocol "execute <name>: ..." records. Continuation lines of a
// multi-line statement start with a tab.
std::vector<LoggedStatement>
logged_statements(const std::filesystem::path& log, std::size_t offset)
{
  std::ifstream in(log, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream content;
  content << in.rdbuf();
  std::vector<LoggedStatement> out;
  std::string line;
  bool in_statement = false;
  while (std::getline(content, line)) {
    // "2026-11-25 12:00:00.123 UTC [4242] LOG:  statement: select ..." (log_line_prefix '%m [%p] ')
    const auto open = line.find(" [");
    const auto close = line.find("] ", open == std::string::npos ? 0 : open);
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) && open != std::string::npos
        && close != std::string::npos && close < 64) {
      in_statement = false;
      const auto pid = line.substr(open + 2, close - open - 2);
      const auto message = std::string_view(line).substr(close + 2);
      for (const std::string_view kind : {"LOG:  statement: ", "LOG:  execute "}) {
        if (message.substr(0, kind.size()) == kind) {
          auto sql = message.substr(kind.size());
          if (kind == "LOG:  execute ") {
            sql = sql.substr(sql.find(": ") + 2); // "execute <unnamed>: select ..."
          }
          out.push_back({pid, std::string(sql)});
          in_statement = true;
        }
      }
    } else if (in_statement && !line.empty() && line[0] == '\t') {
      out.back().sql += "\n" + line.substr(1);
    } else {
      in_statement = false;
    }
  }
  return out;
}

std::string not_read_only_statement(const std::string& sql);

// Why `sql` is not a read or a setting of the audit's own session, or "" when it is one. A
// message of several statements (pg::Session sends a savepoint with its timeout in one) is
// judged statement by statement.
std::string
not_read_only(const std::string& sql)
{
  for (const auto& statement : split_statements(sql)) {
    if (auto why = not_read_only_statement(statement); !why.empty()) {
      return why;
    }
  }
  return {};
}

std::string
not_read_only_statement(const std::string& sql)
{
  auto code = code_only(sql);
  code.erase(0, code.find_first_not_of(" \t\r\n"));
  const auto first = code.substr(0, code.find_first_of(" \t\r\n("));
  static const std::regex writes(
    R"(\b(insert|update|delete|merge|truncate|create|drop|alter|grant|revoke|vacuum|analyze|cluster|reindex|refresh|lock|copy|into|nextval|setval|set_config|pg_advisory_lock|pg_advisory_xact_lock|pg_try_advisory_lock|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_wal|pg_stat_reset|pg_stat_reset_shared|pg_stat_reset_single_table_counters|pg_stat_statements_reset|lo_import|lo_export|lo_unlink|dblink|dblink_exec|pg_file_write|pg_read_file|pg_read_binary_file)\b|\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b|\bcomment\s+on\b)");
  static const std::regex own_settings(
    R"(^(set|reset)\s+(local\s+|session\s+)?(application_name\b|statement_timeout\b|jit\b|max_parallel_workers_per_gather\b|work_mem\b|cursor_tuple_fraction\b|lock_timeout\b|idle_in_transaction_session_timeout\b|search_path\b|transaction\s+snapshot\s*''|transaction\s+isolation\s+level\s+repeatable\s+read\s*,?\s*read\s+only\b)[^;]*$)");
  std::smatch m;
  if (first == "select" || first == "with" || first == "show" || first == "explain" || first == "table") {
    if (std::regex_search(code, m, writes)) {
      return "contains " + m.str();
    }
    if (first == "explain" && std::regex_search(code, std::regex(R"(^explain\s*(\(\s*)?(analyze|analyse)\b)"))) {
      return "EXPLAIN ANALYZE runs the statement";
    }
    return {};
  }
  if (first == "begin" || first == "start") {
    return code.find("read only") != std::string::npos ? "" : "a transaction that is not READ ONLY";
  }
  if (first == "savepoint" || first == "release" || first == "rollback" || first == "commit" || first == "end") {
    return {};
  }
  // A cursor of the transaction (pg::Session::run_in_pages) is as much a read as its query.
  static const std::regex cursor(
    R"(^declare\s+\w+\s+((no\s+)?scroll\s+|binary\s+|insensitive\s+|asensitive\s+)*cursor\s+(without\s+hold\s+)?for\s+)");
  if (first == "declare") {
    return std::regex_search(code, m, cursor) ? not_read_only_statement(code.substr(static_cast<std::size_t>(m.length())))
                                              : "a cursor that is not a plain one of the transaction";
  }
  if (first == "fetch" || first == "close") {
    return {};
  }
  if (std::regex_search(code, own_settings)) {
    return {};
  }
  return "not a read";
}

struct DbCounters
{
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  bool operator==(const DbCounters&) const = default;
};

// pg_stat_database's write counters of `dbname`, once every backend connected to it has exited
// (a backend flushes its statistics when it exits).
DbCounters
write_counters(const std::string& dbname)
{
  pqxx::connection c(cluster_conninfo("postgres"));
  pqxx::nontransaction tx(c);
  for (int i = 0; i < 200; ++i) {
    if (tx.exec_params("select count(*) from pg_stat_activity where datname = $1", dbname)[0][0].as<int>() == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  tx.exec("select pg_stat_clear_snapshot()");
  const auto r = tx.exec_params(
    "select tup_inserted, tup_updated, tup_deleted from pg_stat_database where datname = $1", dbname);
  return DbCounters{r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>(), r[0][2].as<std::int64_t>()};
}

} // namespace

TEST_CASE("hardening: an audit sends only reads, locks nothing above ACCESS SHARE and writes nothing",
          "[hardening][read_only]")
{
  ScratchDb db;
  plant(db);
  db.exec("analyze");
  const auto role = make_role(db, true);
  exec_on("postgres", fmt::format("alter role {} set log_statement = 'all'", role));
  const auto log = std::filesystem::path(cluster_env().at("SCHEMA_AUDIT_PG_DIR")) / "server.log";
  const auto log_offset = std::filesystem::file_size(log);
  const auto before = write_counters(db.name());

  // A last check that sleeps, so the audit's locks can be looked at while it holds them all (it
  // keeps one transaction open for the whole audit).
  const auto dir = std::filesystem::temp_directory_path() / unique_name("sa_queries");
  write_query(dir, "zz_pause", R"(-- id: zz_pause
-- category: test_pause
--
select 'pause' as object, 'test' as object_type, 'paused' as message from pg_catalog.pg_sleep(2)
)");
  const auto history = dir / "h.db";
  CommandResult cli;
  std::thread audit([&] {
    cli = run_cli(fmt::format("audit --db {} --queries {} --history {} --jobs 2 --no-progress",
                              shell_quote(db.conninfo() + " user=" + role), shell_quote(dir.string()),
                              shell_quote(history.string())));
  });

  std::set<std::string> pids;
  std::vector<std::string> locks;
  {
    pqxx::connection c(cluster_conninfo("postgres"));
    pqxx::nontransaction tx(c);
    for (int i = 0; i < 400 && pids.empty(); ++i) {
      // The check's rows are fetched from a cursor named after it (pg::Session::run_in_pages).
      const auto sleeping = tx.exec_params(
        "select count(*) from pg_stat_activity where datname = $1 and application_name = 'schema-audit' "
        "and state = 'active' and query like '%zz_pause%'",
        db.name());
      if (sleeping[0][0].as<int>() == 1) {
        for (const auto& row : tx.exec_params(
               "select a.pid::text, l.locktype, l.mode, coalesce(l.relation::regclass::text, '') "
               "from pg_stat_activity a join pg_locks l on l.pid = a.pid "
               "where a.datname = $1 and a.application_name = 'schema-audit'",
               db.name())) {
          pids.insert(row[0].c_str());
          locks.push_back(fmt::format("{} {} {}", row[1].c_str(), row[2].c_str(), row[3].c_str()));
        }
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    }
  }
  audit.join();
  std::filesystem::remove_all(dir);
  INFO("audit stderr: " << cli.err);
  REQUIRE(cli.exit_code == 0);
  REQUIRE_FALSE(pids.empty());

  // Locks: only ACCESS SHARE on relations, and no transaction id (nothing was written).
  {
    std::size_t relation_locks = 0;
    for (const auto& lock : locks) {
      INFO(lock);
      const bool access_share = lock.rfind("relation AccessShareLock ", 0) == 0;
      const bool own_virtual_xid = lock.rfind("virtualxid ExclusiveLock", 0) == 0;
      CHECK((access_share || own_virtual_xid));
      relation_locks += access_share ? 1 : 0;
    }
    CHECK(relation_locks > 5); // the catalogs the checks read
  }

  // Statements: every one the audit sent is a read, a read-only transaction or its own setting.
  {
    const auto statements = logged_statements(log, log_offset);
    std::size_t from_audit = 0;
    for (const auto& s : statements) {
      if (!pids.count(s.pid)) {
        continue;
      }
      ++from_audit;
      INFO("statement: " << s.sql);
      CHECK(not_read_only(s.sql) == "");
    }
    // Every check of the registry ran (or was skipped before sending anything).
    CHECK(from_audit > audit::Registry::load().checks().size());
  }

  // pg_stat_database: no row inserted, updated or deleted.
  {
    CHECK(write_counters(db.name()) == before);
    // The counters are live: a write by another session moves them.
    db.exec("insert into public.orders values (1000, 'x', 1)");
    CHECK_FALSE(write_counters(db.name()) == before);
  }
}

TEST_CASE("hardening: the read-only classifier of the statement test rejects writes", "[hardening][read_only]")
{
  // The statement test can only fail if this recognises what it must reject.
  CHECK(not_read_only("select 1 from pg_catalog.pg_class") == "");
  CHECK(not_read_only("select format('drop index %I; delete from x', relname) from pg_class -- update\n") == "");
  CHECK(not_read_only("begin isolation level repeatable read, read only") == "");
  CHECK(not_read_only("set local statement_timeout = 30000") == "");
  CHECK(not_read_only("savepoint sa_1; set local statement_timeout = 30000") == "");
  CHECK(not_read_only("set local statement_timeout = 10000; release savepoint sa_1") == "");
  CHECK(not_read_only("savepoint sa_1; delete from t") != "");
  CHECK(not_read_only("select 1; select 1 from t for update") != "");
  CHECK(not_read_only("select ';' from t; drop table t") != "");
  CHECK(not_read_only("set application_name = 'schema-audit'") == "");
  CHECK(not_read_only("set transaction snapshot '00000003-0000001B-1'") == "");
  CHECK(not_read_only("explain select 1") == "");
  CHECK(not_read_only("declare sa_pages_1 no scroll cursor for with r as (select 1) select * from r") == "");
  CHECK(not_read_only("fetch forward 5000 from sa_pages_1") == "");
  CHECK(not_read_only("close sa_pages_1") == "");
  CHECK(not_read_only("set local cursor_tuple_fraction = 1") == "");
  CHECK(not_read_only("declare c cursor for with x as (delete from t returning *) select * from x") != "");
  CHECK(not_read_only("declare c cursor for select * from t for update") != "");
  CHECK(not_read_only("declare c cursor with hold for select 1") != "");
  CHECK(not_read_only("with x as (delete from t returning *) select * from x") != "");
  CHECK(not_read_only("select * from t for update") != "");
  CHECK(not_read_only("select nextval('s')") != "");
  CHECK(not_read_only("select * into t2 from t") != "");
  CHECK(not_read_only("explain (analyze) delete from t") != "");
  CHECK(not_read_only("explain analyze select 1") != "");
  CHECK(not_read_only("begin") != "");
  CHECK(not_read_only("set role postgres") != "");
  CHECK(not_read_only("set session authorization postgres") != "");
  CHECK(not_read_only("create index concurrently i on t(a)") != "");
  CHECK(not_read_only("analyze t") != "");
  CHECK(not_read_only("select pg_advisory_lock(1)") != "");
  CHECK(not_read_only("select \"delete\" from t") == "");
}
