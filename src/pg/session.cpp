#include "pg/session.hpp"

#include "pg/deadline.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

namespace pg {

namespace {

// The session's own statements (setup, savepoints, the capabilities probe) run under this
// statement_timeout, the checks under --statement-timeout: they are quick, and a timeout meant
// for the checks (even 1 ms) must not fail the audit before a check runs.
constexpr int k_own_statement_timeout_ms = 10000;
// A statement without an answer this long after its statement_timeout gets a cancel request
// from the client, and this long after that the connection is given up.
constexpr std::chrono::milliseconds k_client_grace{5000};

constexpr const char* k_statement_timeout_reason = "timed out (statement_timeout); raise --statement-timeout or exclude the check";

// libpq messages span lines ("connection to server ... failed: ...\n\tIs the server ...");
// keep the first, which names the cause.
std::string
first_line(std::string_view message)
{
  message = util::trim(message);
  const auto eol = message.find('\n');
  return std::string(util::trim(message.substr(0, eol)));
}

// What to check when connecting failed for `reason`; `option` is where the connection string
// came from ("--db", "--replica").
std::string
connection_hint(const std::string& reason, const std::string& option)
{
  if (reason.find("password") != std::string::npos
      || reason.find("authentication") != std::string::npos) {
    return fmt::format("check the user and password ({}, PGUSER, PGPASSWORD or ~/.pgpass)", option);
  }
  if (reason.find("does not exist") != std::string::npos) {
    return fmt::format("check the database and role names in {} or PGDATABASE/PGUSER", option);
  }
  if (reason.find("permission denied") != std::string::npos) {
    return "grant the auditing role CONNECT on the database";
  }
  return fmt::format("check {} (or PGHOST/PGPORT) and that the server is running", option);
}

// Why `e` failed, for the audit: a lock or statement timeout, a cancel by another session, a
// missing privilege, or another error with the server's SQLSTATE. `elapsed` (since the check
// started) and `timeout_ms` tell a statement timeout from a cancel (both SQLSTATE 57014) when
// the server's message does not say it (another language, or the race below).
QueryFailed
query_failure(const pqxx::sql_error& e, std::chrono::milliseconds elapsed, int timeout_ms)
{
  // libpqxx 6.4 leaves sqlstate() empty on some of its exception classes.
  const std::string state = !e.sqlstate().empty() ? e.sqlstate()
                            : dynamic_cast<const pqxx::insufficient_privilege*>(&e) ? "42501"
                                                                                    : "";
  const std::string message = first_line(e.what());
  if (state == "57014") {
    // A statement timeout that fires as a statement ends cancels the next one "due to user
    // request"; a cancel at or past the limit is the limit's either way.
    const bool timed_out = message.find("statement timeout") != std::string::npos || elapsed.count() >= timeout_ms;
    if (timed_out) {
      return QueryFailed(FailureCause::statement_timeout, k_statement_timeout_reason);
    }
    return QueryFailed(FailureCause::cancelled,
                       "cancelled by another session (pg_cancel_backend, SQLSTATE 57014); run the audit again");
  }
  if (state == "55P03") {
    return QueryFailed(FailureCause::lock_timeout,
                       "timed out waiting for a lock (lock_timeout); another session holds a conflicting lock");
  }
  if (state == "42501") {
    return QueryFailed(FailureCause::no_privilege,
                       fmt::format("{} (SQLSTATE 42501); grant the auditing role pg_monitor", message));
  }
  return QueryFailed(FailureCause::error, fmt::format("{} (SQLSTATE {})", message, state.empty() ? "?" : state));
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
  SessionSettings settings;
  model::Target target;
  std::set<std::string> open_cursors;
  // The last statement failed because the client's deadline cancelled it.
  bool cancelled_by_client = false;

  // Runs `run` (one statement the server limits to `timeout_ms`) under the client's deadline:
  // a server that has not answered `k_client_grace` after that is sent a cancel request, and
  // given up `k_client_grace` later (util::Fatal(connection) naming `label`).
  template<typename Run>
  pqxx::result guarded(const std::string& label, int timeout_ms, Run&& run)
  {
    const auto limit = std::chrono::milliseconds(timeout_ms) + k_client_grace;
    const Deadline deadline(*conn, limit, k_client_grace);
    cancelled_by_client = false;
    try {
      return run();
    } catch (const pqxx::sql_error&) {
      cancelled_by_client = deadline.cancelled();
      throw;
    } catch (const pqxx::broken_connection& e) {
      if (deadline.gave_up()) {
        throw util::Fatal(util::ExitCode::connection,
                          fmt::format("{} stopped answering: no reply to {} within {} s (the statement timeout "
                                      "plus {} s for a cancel); check the server and the network to it",
                                      target.display(), label,
                                      std::chrono::round<std::chrono::seconds>(limit + k_client_grace).count(),
                                      2 * k_client_grace.count() / 1000));
      }
      throw;
    }
  }

  // One statement of the session's own (setup, savepoints, the probe).
  pqxx::result exec(const std::string& sql)
  {
    util::log(util::LogLevel::debug, "sql: {}", sql);
    return guarded(sql, k_own_statement_timeout_ms, [&] { return tx->exec(sql); });
  }

  // Runs `start`, the statements that open the session's transaction: a lost connection or a
  // refused statement is util::Fatal(connection).
  template<typename Start>
  void starting(Start&& start)
  {
    try {
      start();
    } catch (const pqxx::broken_connection& e) {
      throw util::Fatal(util::ExitCode::connection,
                        fmt::format("lost the connection to {}: {}", target.display(), first_line(e.what())));
    } catch (const pqxx::sql_error& e) {
      throw util::Fatal(util::ExitCode::connection,
                        fmt::format("cannot start a read-only transaction on {}: {}", target.display(),
                                    query_failure(e, std::chrono::milliseconds(0), k_own_statement_timeout_ms).what()));
    }
  }

  // Begins the read-only transaction (importing `snapshot` when given) and sets its limits.
  void begin(const std::optional<std::string>& snapshot)
  {
    exec("begin isolation level repeatable read, read only");
    if (snapshot) {
      exec(fmt::format("set transaction snapshot {}", conn->quote(*snapshot)));
    }
    exec(fmt::format("set local statement_timeout = {}", k_own_statement_timeout_ms));
    exec(fmt::format("set local lock_timeout = {}", settings.lock_timeout_ms));
    // Catalog queries over ~50,000 relations pass jit_above_cost, and compiling them takes
    // longer than running them (5 s of 8 s for one check on the benchmark database). Parallel
    // workers gain little on catalogs and would take worker slots from the application.
    exec("set local jit = off");
    exec("set local max_parallel_workers_per_gather = 0");
    // Sorting and hashing the rows of every relation (metrics: 80,000 rows for 10,000 tables)
    // spills to disk at the default 4MB.
    exec("set local work_mem = '32MB'");
    // A cursor (run_in_pages: every check's rows) is planned for all of its rows, as the
    // statement alone would be, not for its first tenth, which can take far longer to read whole.
    exec("set local cursor_tuple_fraction = 1");
  }
};

Session::Session(const std::string& conninfo,
                 const SessionSettings& settings,
                 const std::optional<std::string>& snapshot)
  : m_impl(std::make_unique<Impl>())
{
  validate_conninfo(conninfo);
  m_impl->settings = settings;
  try {
    m_impl->conn = std::make_unique<pqxx::connection>(with_client_deadlines(conninfo));
  } catch (const pqxx::broken_connection& e) {
    const auto reason = first_line(e.what());
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("cannot connect: {}; {}", reason, connection_hint(reason, settings.conninfo_option)));
  } catch (const pqxx::sql_error& e) {
    const auto reason = first_line(e.what());
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("cannot connect: {}; {}", reason, connection_hint(reason, settings.conninfo_option)));
  }
  auto& c = *m_impl->conn;
  m_target = model::Target{c.hostname() ? c.hostname() : "",
                    c.port() ? c.port() : "",
                    c.dbname() ? c.dbname() : "",
                    c.username() ? c.username() : ""};
  m_impl->target = m_target;
  {
    // once per target and user: an audit opens a session per job and per page of an input read
    // in transactions of its own (-v printed "connected to" three times)
    static std::mutex logged_mutex;
    static std::set<std::string> logged;
    const std::lock_guard lock(logged_mutex);
    const auto level = logged.insert(m_target.display() + '\n' + m_target.user).second ? util::LogLevel::info
                                                                                       : util::LogLevel::debug;
    util::log(level, "connected to {} as \"{}\"", m_target.display(), m_target.user);
  }

  m_impl->starting([&] {
    m_impl->tx = std::make_unique<pqxx::nontransaction>(c, "schema-audit");
    m_impl->exec(fmt::format("set application_name = {}", c.quote(settings.application_name)));
    m_impl->begin(snapshot);
  });
}

Session::~Session()
{
  if (m_impl && m_impl->tx) {
    try {
      m_impl->exec("rollback");
    } catch (...) {
      // The connection is closed next; the server rolls back anyway.
    }
  }
}

void
Session::begin_again()
{
  m_impl->starting([&] {
    m_impl->exec("rollback");
    m_impl->begin(std::nullopt);
  });
}

QueryResult
Session::run(const std::string& label, const std::string& sql, const std::vector<std::string>& params)
{
  return run_with_timeout(label, sql, params, m_impl->settings.statement_timeout_ms);
}

QueryResult
Session::run_with_timeout(const std::string& label,
                          const std::string& sql,
                          const std::vector<std::string>& params,
                          int timeout_ms)
{
  auto& impl = *m_impl;
  // One name for every statement's savepoint (each is released or rolled back before the next):
  // pg_stat_statements records the same two entries in every audit, not two per statement.
  const std::string savepoint = "sa_statement";
  const auto start = std::chrono::steady_clock::now();
  try {
    // The statement's own timeout is set inside its savepoint and put back before the release:
    // a failure anywhere in between rolls both back with the savepoint. Each pair goes in one
    // message (a round trip each: over a network, 300 statements of a 1,000-schema audit
    // spent 1,500 round trips where 900 do).
    impl.exec(fmt::format("savepoint {}; set local statement_timeout = {}", savepoint, timeout_ms));
    util::log(util::LogLevel::debug, "{}: running with {} parameter(s)", label, params.size());
    const pqxx::result r = impl.guarded(label, timeout_ms, [&] {
      return params.empty() ? impl.tx->exec(sql) : impl.tx->exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    });
    impl.exec(fmt::format("set local statement_timeout = {}; release savepoint {}", k_own_statement_timeout_ms, savepoint));

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
    // libpqxx throws this for every SQLSTATE of class 08, also for a protocol violation the
    // server reports on a live connection (08P01: a bind of more params than the statement
    // uses, as a --queries check that declares one it never reads). Then only the statement
    // failed: its savepoint is rolled back and the audit goes on.
    if (impl.conn->is_open()) {
      try {
        impl.exec("rollback to savepoint " + savepoint);
      } catch (const pqxx::failure&) {
        throw util::Fatal(util::ExitCode::connection,
                          fmt::format("lost the connection to {} during {}: {}", m_target.display(),
                                      label, first_line(e.what())));
      }
      throw QueryFailed(FailureCause::error, first_line(e.what()));
    }
    throw util::Fatal(util::ExitCode::connection,
                      fmt::format("lost the connection to {} during {}: {}", m_target.display(),
                                  label, first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    const bool by_client = impl.cancelled_by_client;
    try {
      impl.exec("rollback to savepoint " + savepoint);
    } catch (const pqxx::broken_connection& e2) {
      throw util::Fatal(util::ExitCode::connection,
                        fmt::format("lost the connection to {} during {}: {}",
                                    m_target.display(), label, first_line(e2.what())));
    } catch (const pqxx::sql_error&) {
      // The failure hit the savepoint itself (a cancel between statements): the transaction
      // holding the audit's snapshot is gone, and no further check can run on it.
      throw util::Fatal(util::ExitCode::connection,
                        fmt::format("the audit's transaction on {} was aborted during {}: {}; run the audit again",
                                    m_target.display(), label, query_failure(e, elapsed, timeout_ms).what()));
    }
    if (by_client) {
      throw QueryFailed(FailureCause::statement_timeout,
                        fmt::format("timed out (no answer {} s after its statement_timeout: cancelled by schema-audit); "
                                    "check the server's load",
                                    k_client_grace.count() / 1000));
    }
    throw query_failure(e, elapsed, timeout_ms);
  }
}

std::chrono::microseconds
Session::run_in_pages(const std::string& label,
                      const std::string& sql,
                      const std::vector<std::string>& params,
                      std::size_t page_rows,
                      const std::function<void(QueryResult&& page)>& on_page)
{
  // Named after what it reads, so that pg_stat_activity says which check a fetch serves, and the
  // same in every audit, so that pg_stat_statements keeps one entry per check, not one per audit
  // (a serial only while a cursor of that name is open on this session). The recorded_statements
  // input knows the audit's reads by it.
  std::string named;
  for (const char c : label.substr(0, 40)) {
    named += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  }
  auto cursor = "sa_" + named;
  for (int n = 2; m_impl->open_cursors.count(cursor) > 0; ++n) {
    cursor = fmt::format("sa_{}_{}", named, n);
  }
  m_impl->open_cursors.insert(cursor);
  struct Closed
  {
    std::set<std::string>& open;
    const std::string& name;
    ~Closed() { open.erase(name); }
  } closed{m_impl->open_cursors, cursor};
  // The statement timeout bounds the read as a whole, as it bounds one statement: each fetch
  // runs under what is left of it (the time the pages take to map is the client's, not counted),
  // in whole seconds, rounded up: each timeout is the text of a SET, and pg_stat_statements
  // (before 16) keeps a new entry for each new text, about 55 an audit by the millisecond, which
  // in a daily audit would crowd the application's statements out of its 5,000. By the second
  // they are as many as the budget's seconds, the same in every audit; the read may overrun its
  // budget by under a second.
  const auto timeout = std::chrono::milliseconds(m_impl->settings.statement_timeout_ms);
  std::chrono::microseconds spent{0};
  const auto left_ms = [&] {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timeout - spent).count();
    if (left <= 0) {
      throw QueryFailed(FailureCause::statement_timeout, k_statement_timeout_reason);
    }
    return static_cast<int>(std::min<std::int64_t>((left + 999) / 1000 * 1000, timeout.count()));
  };
  spent += run_with_timeout(label, fmt::format("declare {} no scroll cursor for {}", cursor, sql), params, left_ms()).elapsed;
  try {
    for (bool last = false; !last;) {
      auto page = run_with_timeout(label, fmt::format("fetch forward {} from {}", page_rows, cursor), {}, left_ms());
      spent += page.elapsed;
      last = page.rows.size() < page_rows;
      if (!page.rows.empty()) {
        on_page(std::move(page));
      }
    }
  } catch (...) {
    try {
      run(label, "close " + cursor);
    } catch (...) { // the first failure is the one to report
    }
    throw;
  }
  spent += run(label, "close " + cursor).elapsed;
  return spent;
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
    throw query_failure(e, std::chrono::milliseconds(0), k_own_statement_timeout_ms);
  }
}

model::Capabilities
Session::probe()
{
  const auto r = run_with_timeout("probe capabilities", R"(
select current_setting('server_version_num')::int as server_version_num,
       current_setting('server_version') as server_version,
       (select string_agg(extname, ',') from pg_catalog.pg_extension) as extensions,
       (select rolsuper from pg_catalog.pg_roles where rolname = current_user) as is_superuser,
       pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'usage') as read_all_stats,
       to_char(d.stats_reset at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as stats_reset,
       to_char(pg_catalog.pg_postmaster_start_time() at time zone 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') as postmaster_start,
       (select count(*) from pg_catalog.pg_stat_replication) as standbys,
       pg_catalog.pg_is_in_recovery() as in_recovery,
       d.tup_inserted + d.tup_updated + d.tup_deleted as tuples_written,
       current_database() as database
from (select 1) one
left join pg_catalog.pg_stat_database d on d.datname = current_database())",
                                   {}, k_own_statement_timeout_ms);
  const auto& row = r.rows.at(0);
  model::Capabilities caps;
  caps.server_version_num = std::stoi(row[0].value_or("0"));
  caps.server_version = row[1].value_or("");
  for (auto& ext : util::split(row[2].value_or(""), ',')) {
    caps.extensions.insert(ext);
  }
  caps.is_superuser = row[3].value_or("f") == "t";
  caps.can_read_all_stats = caps.is_superuser || row[4].value_or("f") == "t";
  caps.stats_reset = row[5];
  caps.postmaster_start = row[6];
  caps.standbys = std::stoi(row[7].value_or("0"));
  caps.in_recovery = row[8].value_or("f") == "t";
  if (row[9]) {
    caps.tuples_written = std::stoll(*row[9]);
  }
  caps.database = row[10].value_or("");
  util::log(util::LogLevel::info, "server {} ({}), extensions: {}", caps.server_version,
            caps.server_version_num, row[2].value_or("none"));
  return caps;
}

} // namespace pg
