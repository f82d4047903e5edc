#include "pg/session.hpp"

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <pqxx/pqxx>

namespace pg {

namespace {

// libpq messages span lines ("connection to server ... failed: ...\n\tIs the server ...");
// keep the first, which names the cause.
std::string
first_line(std::string_view message)
{
  message = util::trim(message);
  const auto eol = message.find('\n');
  return std::string(util::trim(message.substr(0, eol)));
}

std::string
connection_hint(const std::string& reason)
{
  if (reason.find("password") != std::string::npos
      || reason.find("authentication") != std::string::npos) {
    return "check the user and password (--db, PGUSER, PGPASSWORD or ~/.pgpass)";
  }
  if (reason.find("does not exist") != std::string::npos) {
    return "check the database and role names in --db or PGDATABASE/PGUSER";
  }
  if (reason.find("permission denied") != std::string::npos) {
    return "grant the auditing role CONNECT on the database";
  }
  return "check --db (or PGHOST/PGPORT) and that the server is running";
}

std::string
sqlstate_reason(const pqxx::sql_error& e)
{
  // libpqxx 6.4 leaves sqlstate() empty on some of its exception classes.
  const std::string state = !e.sqlstate().empty() ? e.sqlstate()
                            : dynamic_cast<const pqxx::insufficient_privilege*>(&e) ? "42501"
                                                                                    : "";
  if (state == "57014") {
    return "timed out (statement_timeout); raise --statement-timeout or exclude the check";
  }
  if (state == "55P03") {
    return "timed out waiting for a lock (lock_timeout); another session holds a conflicting "
           "lock";
  }
  if (state == "42501") {
    return fmt::format("{} (SQLSTATE 42501); grant the auditing role pg_monitor",
                       first_line(e.what()));
  }
  return fmt::format("{} (SQLSTATE {})", first_line(e.what()), state.empty() ? "?" : state);
}

} // namespace

std::optional<std::size_t>
QueryResult::column(std::string_view name) const
{
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) {
      return i;
    }
  }
  return std::nullopt;
}

struct Session::Impl
{
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<pqxx::nontransaction> tx;
  int savepoints = 0;

  pqxx::result exec(const std::string& sql)
  {
    util::log(util::LogLevel::debug, "sql: {}", sql);
    return tx->exec(sql);
  }
};

Session::Session(const std::string& conninfo,
                 const SessionSettings& settings,
                 const std::optional<std::string>& snapshot)
  : m_impl(std::make_unique<Impl>())
{
  validate_conninfo(conninfo);
  try {
    m_impl->conn = std::make_unique<pqxx::connection>(conninfo);
  } catch (const pqxx::broken_connection& e) {
    const auto reason = first_line(e.what());
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("cannot connect: {}; {}", reason, connection_hint(reason)));
  } catch (const pqxx::sql_error& e) {
    const auto reason = first_line(e.what());
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("cannot connect: {}; {}", reason, connection_hint(reason)));
  }
  auto& c = *m_impl->conn;
  m_target = Target{c.hostname() ? c.hostname() : "",
                    c.port() ? c.port() : "",
                    c.dbname() ? c.dbname() : "",
                    c.username() ? c.username() : ""};
  util::log(util::LogLevel::info, "connected to {} as \"{}\"", m_target.display(), m_target.user);

  try {
    m_impl->tx = std::make_unique<pqxx::nontransaction>(c, "schema-audit");
    m_impl->exec(fmt::format("set application_name = {}", c.quote(settings.application_name)));
    m_impl->exec("begin isolation level repeatable read, read only");
    if (snapshot) {
      m_impl->exec(fmt::format("set transaction snapshot {}", c.quote(*snapshot)));
    }
    m_impl->exec(fmt::format("set local statement_timeout = {}", settings.statement_timeout_ms));
    m_impl->exec(fmt::format("set local lock_timeout = {}", settings.lock_timeout_ms));
    // Catalog queries over ~50,000 relations pass jit_above_cost, and compiling them takes
    // longer than running them (5 s of 8 s for one check on the benchmark database). Parallel
    // workers gain little on catalogs and would take worker slots from the application.
    m_impl->exec("set local jit = off");
    m_impl->exec("set local max_parallel_workers_per_gather = 0");
    // Sorting and hashing the rows of every relation (metrics: 80,000 rows for 10,000 tables)
    // spills to disk at the default 4MB.
    m_impl->exec("set local work_mem = '32MB'");
  } catch (const pqxx::broken_connection& e) {
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("lost the connection to {}: {}", m_target.display(),
                                  first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("cannot start a read-only transaction on {}: {}",
                                  m_target.display(), sqlstate_reason(e)));
  }
}

Session::~Session()
{
  if (m_impl && m_impl->tx) {
    try {
      m_impl->tx->exec("rollback");
    } catch (...) {
      // The connection is closed next; the server rolls back anyway.
    }
  }
}

QueryResult
Session::run(const std::string& label, const std::string& sql, const std::vector<std::string>& params)
{
  auto& impl = *m_impl;
  const auto savepoint = fmt::format("sa_{}", ++impl.savepoints);
  const auto start = std::chrono::steady_clock::now();
  try {
    impl.exec("savepoint " + savepoint);
    util::log(util::LogLevel::debug, "{}: running with {} parameter(s)", label, params.size());
    const pqxx::result r = params.empty()
                             ? impl.tx->exec(sql)
                             : impl.tx->exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    impl.exec("release savepoint " + savepoint);

    QueryResult out;
    out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
    const auto ncols = static_cast<std::size_t>(r.columns());
    out.columns.reserve(ncols);
    for (pqxx::row::size_type i = 0; i < r.columns(); ++i) {
      out.columns.emplace_back(r.column_name(i));
    }
    out.rows.reserve(r.size());
    for (const auto& row : r) {
      Row values;
      values.reserve(ncols);
      for (const auto& field : row) {
        values.push_back(field.is_null() ? std::nullopt
                                         : std::optional<std::string>(field.c_str()));
      }
      out.rows.push_back(std::move(values));
    }
    util::log(util::LogLevel::debug, "{}: {} row(s) in {} ms", label, out.rows.size(),
              out.elapsed.count() / 1000);
    return out;
  } catch (const pqxx::broken_connection& e) {
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("lost the connection to {} during {}: {}", m_target.display(),
                                  label, first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    try {
      impl.exec("rollback to savepoint " + savepoint);
    } catch (const pqxx::broken_connection& e2) {
      throw util::Fatal(util::ExitCode::connection,
                        fmt::format("lost the connection to {} during {}: {}",
                                    m_target.display(), label, first_line(e2.what())));
    }
    throw util::Error(sqlstate_reason(e));
  }
}

std::string
Session::export_snapshot()
{
  // Not through run(): PostgreSQL cannot export a snapshot from a subtransaction (savepoint).
  try {
    const auto r = m_impl->exec("select pg_export_snapshot()");
    return r.at(0).at(0).c_str();
  } catch (const pqxx::broken_connection& e) {
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("lost the connection to {}: {}", m_target.display(), first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    throw util::Error(sqlstate_reason(e));
  }
}

Capabilities
Session::probe()
{
  const auto r = run("probe capabilities", R"(
select current_setting('server_version_num')::int as server_version_num,
       current_setting('server_version') as server_version,
       (select string_agg(extname, ',') from pg_catalog.pg_extension) as extensions,
       (select rolsuper from pg_catalog.pg_roles where rolname = current_user) as is_superuser,
       pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'usage') as read_all_stats,
       (select to_char(stats_reset at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
          from pg_catalog.pg_stat_database where datname = current_database()) as stats_reset,
       to_char(pg_catalog.pg_postmaster_start_time() at time zone 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') as postmaster_start)");
  const auto& row = r.rows.at(0);
  Capabilities caps;
  caps.server_version_num = std::stoi(row[0].value_or("0"));
  caps.server_version = row[1].value_or("");
  for (auto& ext : util::split(row[2].value_or(""), ',')) {
    caps.extensions.insert(ext);
  }
  caps.is_superuser = row[3].value_or("f") == "t";
  caps.can_read_all_stats = caps.is_superuser || row[4].value_or("f") == "t";
  caps.stats_reset = row[5];
  caps.postmaster_start = row[6];
  util::log(util::LogLevel::info, "server {} ({}), extensions: {}", caps.server_version,
            caps.server_version_num, row[2].value_or("none"));
  return caps;
}

} // namespace pg
