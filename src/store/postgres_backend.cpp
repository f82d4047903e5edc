#include "pg/connection.hpp"
#include "store/migrations.hpp"
#include "store/sql_backend.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <optional>
#include <utility>
#include <thread>

namespace store {

namespace {

using Mode = model::HistoryStore::Mode;

// How many times a save is tried when the server closes the history connection (an admin's
// pg_terminate_backend, idle_session_timeout, a restart), with 1 s, then 2 s between tries.
constexpr int k_save_attempts = 3;

// The rows of one bulk statement (for_rows) go in statements of about this many bytes of values:
// bound whole, a column of the finding texts of 29,000 findings with its array literal and its
// parameter copy took a 1,000-schema audit to 206 MB RSS (60 MB with a SQLite history). Each
// megabyte is held about three times over (the values, their array literals, libpq's buffer):
// at 4 MB a 10,000-schema save peaked at 217 MB, at 1 MB 183 MB, in about the same time.
constexpr std::size_t k_statement_bytes = std::size_t{1} << 20;

// Rows of a select read at a time (PostgresBackend::query).
constexpr std::size_t k_cursor_page_rows = 5000;

// A value as libpq sends it: text, or NULL. Floats as PostgreSQL reads them back exactly ("nan"
// and "inf" included).
std::optional<std::string>
text_of(SqlValue value)
{
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    return std::to_string(*number);
  }
  if (const auto* real = std::get_if<double>(&value)) {
    return fmt::format("{}", *real);
  }
  if (auto* text = std::get_if<std::string>(&value)) {
    return std::move(*text);
  }
  return std::nullopt;
}

constexpr SqlBackend::Spellings k_spellings{
  "{0} in (select jsonb_array_elements_text(cast({1} as jsonb)))",
  "case when jsonb_typeof(cast({0} as jsonb) -> cast({1} as text)) = 'number' then cast(cast({0} as jsonb) ->> "
  "cast({1} as text) as float8) end"};

class ResultRows final : public SqlRows
{
public:
  explicit ResultRows(pg::QueryResult result)
    : m_result(std::move(result))
  {
  }
  bool next() override { return ++m_row < m_result.rows.size(); }
  bool is_null(int column) const override { return !cell(column); }
  std::string text(int column) const override { return cell(column).value_or(""); }
  std::int64_t int64(int column) const override { return cell(column) ? std::stoll(*cell(column)) : 0; }
  double real(int column) const override { return cell(column) ? std::stod(*cell(column)) : 0; }

private:
  const std::optional<std::string>& cell(int column) const { return m_result.rows.at(m_row).at(column); }

  pg::QueryResult m_result;
  std::size_t m_row = static_cast<std::size_t>(-1);
};

// The history in schema schema_audit of a PostgreSQL database: one transaction per snapshot,
// migrations under an advisory lock, a save tried again on a new connection when the server
// closed the old one.
class PostgresBackend final : public SqlBackend
{
public:
  PostgresBackend(const std::string& conninfo, Mode mode);

  const std::string& name() const override { return m_name; }

  // A select's rows come through a cursor, a page at a time (CursorRows); other statements'
  // (insert ... returning) whole.
  std::unique_ptr<SqlRows> query(const std::string& sql, const std::vector<SqlValue>& params) override
  {
    const auto first = sql.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || sql.compare(first, 6, "select") != 0 || first + 6 >= sql.size()
        || std::string_view(" \t\r\n").find(sql[first + 6]) == std::string_view::npos) {
      return std::make_unique<ResultRows>(exec(sql, params));
    }
    if (m_cursors == 0 && !m_writing) {
      exec("begin read only");
      m_reading = true;
    }
    ++m_cursors;
    auto cursor = fmt::format("sa_history_{}", ++m_cursor_serial);
    try {
      exec(fmt::format("declare {} no scroll cursor for {}", cursor, sql), params);
    } catch (...) {
      cursor_closed("");
      throw;
    }
    return std::make_unique<CursorRows>(*this, std::move(cursor));
  }

  void for_rows(const std::string& sql,
                const std::vector<SqlValue>& params,
                const RowBatch& rows,
                const std::function<void(const SqlRows&)>& on_row) override
  {
    // Columns as arrays, a statement per k_statement_bytes of values.
    std::vector<std::string> unnest;
    std::vector<std::string> names;
    for (std::size_t c = 0; c < rows.columns.size(); ++c) {
      const auto type = rows.columns[c].type;
      unnest.push_back(fmt::format("cast(${} as {}[])", params.size() + c + 1,
                                   type == RowBatch::Type::text ? "text" : type == RowBatch::Type::real ? "float8" : "bigint"));
      names.push_back(rows.columns[c].name);
    }
    auto with_rows = sql;
    with_rows.replace(with_rows.find("{rows}"), 6,
                      fmt::format("unnest({}) as u({})", fmt::join(unnest, ", "), fmt::join(names, ", ")));
    for (std::size_t next = 0; next < rows.size;) {
      std::vector<std::vector<std::optional<std::string>>> columns(rows.columns.size());
      for (std::size_t bytes = 0; next < rows.size && bytes < k_statement_bytes; ++next) {
        auto values = rows.row(next);
        for (std::size_t c = 0; c < columns.size(); ++c) {
          auto value = text_of(std::move(values.at(c)));
          bytes += value ? value->size() : 0;
          columns[c].push_back(std::move(value));
        }
      }
      auto bound = params;
      for (auto& column : columns) {
        bound.emplace_back(util::pg_nullable_array_literal(std::exchange(column, {})));
      }
      ResultRows result(exec(with_rows, bound));
      while (on_row && result.next()) {
        on_row(result);
      }
    }
  }

  void write_transaction(const std::function<void()>& body) override
  {
    for (int attempt = 1;; ++attempt) {
      try {
        if (!m_conn->is_open()) {
          connect();
        }
        if (m_cursors > 0) { // the save's transaction would end the read's
          throw util::Error(fmt::format("{}: a save began while rows of the history were being read", m_name));
        }
        m_writing = true;
        try {
          transaction([&] {
            // Before the planner has statistics on finding_texts, the text lookup of 30,000
            // findings looks costly enough to JIT-compile, which takes longer (~0.4 s) than running it.
            exec("set local jit = off");
            body();
          });
        } catch (...) {
          m_writing = false;
          throw;
        }
        m_writing = false;
        return;
      } catch (const util::Fatal& e) {
        // Only a lost connection is worth another try: the transaction was rolled back whole,
        // and a refused statement (no privilege, a constraint) would be refused again.
        if (m_conn->is_open() || attempt == k_save_attempts) {
          throw;
        }
        util::log(util::LogLevel::info, "{}; trying again ({} of {})", e.what(), attempt + 1, k_save_attempts);
        std::this_thread::sleep_for(std::chrono::seconds(attempt));
      }
    }
  }

private:
  // The rows of a select, read through a cursor a page at a time: the previous snapshot's
  // 990,000 metrics of a 10,000-schema audit, read whole, took the audit to 788 MB.
  class CursorRows final : public SqlRows
  {
  public:
    CursorRows(PostgresBackend& backend, std::string cursor)
      : m_backend(backend)
      , m_cursor(std::move(cursor))
    {
    }
    ~CursorRows() override { m_backend.cursor_closed(m_cursor); }
    CursorRows(const CursorRows&) = delete;
    CursorRows& operator=(const CursorRows&) = delete;

    bool next() override
    {
      while (!m_page || !m_page->next()) {
        if (m_last) {
          return false;
        }
        auto page = m_backend.fetch(m_cursor);
        m_last = page.rows.size() < k_cursor_page_rows;
        m_page.emplace(std::move(page));
      }
      return true;
    }
    bool is_null(int column) const override { return m_page->is_null(column); }
    std::string text(int column) const override { return m_page->text(column); }
    std::int64_t int64(int column) const override { return m_page->int64(column); }
    double real(int column) const override { return m_page->real(column); }

  private:
    PostgresBackend& m_backend;
    std::string m_cursor;
    std::optional<ResultRows> m_page;
    bool m_last = false;
  };

  // The next page of rows of `cursor`.
  pg::QueryResult fetch(const std::string& cursor) const
  {
    return exec(fmt::format("fetch forward {} from {}", k_cursor_page_rows, cursor));
  }

  // `cursor` (empty: one that was never declared) is closed, and with the last one the read
  // transaction that query() began ends. Never throws: a failure here (a lost connection, a
  // transaction a failed fetch aborted) leaves nothing to undo.
  void cursor_closed(const std::string& cursor) noexcept
  {
    try {
      if (!cursor.empty() && m_conn->is_open()) {
        exec("close " + cursor);
      }
    } catch (...) {
    }
    if (--m_cursors == 0 && m_reading) {
      m_reading = false;
      try {
        if (m_conn->is_open()) {
          m_conn->exec("commit");
        }
      } catch (...) {
      }
    }
  }

  // (Re)connects. A write waits at most 30 s for a lock another session holds on the history's
  // tables, as concurrent audits of a SQLite history wait for each other.
  void connect()
  {
    try {
      m_conn = std::make_unique<pg::Connection>(m_conninfo);
    } catch (const util::Fatal& e) {
      throw history_error("{}: {}; check --history", m_name, e.what());
    }
    exec("set lock_timeout = '30s'");
    exec("set search_path = schema_audit");
  }

  // Runs `sql`; any failure becomes util::Fatal(history) naming the history database.
  pg::QueryResult exec(const std::string& sql, const std::vector<SqlValue>& params = {}) const
  {
    std::vector<std::optional<std::string>> texts;
    texts.reserve(params.size());
    for (const auto& value : params) {
      texts.push_back(text_of(value));
    }
    try {
      return m_conn->exec(sql, texts);
    } catch (const std::runtime_error& e) { // util::Error (refused) or util::Fatal (connection lost)
      throw history_error("{}: {}", m_name, e.what());
    }
  }

  // Runs `body` in one transaction, rolled back when it throws.
  void transaction(const std::function<void()>& body)
  {
    exec("begin");
    try {
      body();
      exec("commit");
    } catch (...) {
      try {
        m_conn->exec("rollback");
      } catch (...) {
        // The connection is gone: the server rolled back already.
      }
      throw;
    }
  }

  // The schema version of the history; -1 when there is no schema_audit.version table at all
  // (checked first: a missing table fails to parse).
  int version() const
  {
    if (exec("select pg_catalog.to_regclass('schema_audit.version') is not null").rows.at(0).at(0) != "t") {
      return -1;
    }
    return std::stoi(exec("select coalesce(max(version), 0) from schema_audit.version").rows.at(0).at(0).value_or("0"));
  }

  std::unique_ptr<pg::Connection> m_conn;
  std::string m_conninfo; // to reconnect; never shown
  std::string m_name;
  int m_cursors = 0;        // open CursorRows
  int m_cursor_serial = 0;  // for their names
  bool m_reading = false;   // in the transaction query() began for them
  bool m_writing = false;   // in write_transaction()'s
};

PostgresBackend::PostgresBackend(const std::string& conninfo, Mode mode)
  : SqlBackend(k_spellings)
  , m_conninfo(conninfo)
  , m_name("history database " + pg::redact_conninfo(conninfo))
{
  connect();
  const int current = schema_version(Dialect::postgresql);
  const int found = version();
  if (found < 0 && mode == Mode::read_only) {
    throw history_error("{} holds no schema-audit history (no schema schema_audit); create it with \"schema-audit "
                        "audit --history ...\"",
                        m_name);
  }
  refuse_newer(m_name, found, current);
  if (found < current && mode == Mode::read_only) {
    throw history_error("{} needs migrating from schema {} to {}; run an audit with this --history once", m_name, found,
                        current);
  }
  if (found < current) {
    // One migrator at a time; a second one waits, then finds the work done.
    transaction([&] {
      exec("select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('schema-audit history migration'))");
      exec("create schema if not exists schema_audit");
      exec("create table if not exists schema_audit.version (version integer primary key, "
           "applied_at timestamptz not null default now())");
      exec("set local search_path = schema_audit");
      const int now = version();
      for (const auto& m : migrations(Dialect::postgresql)) {
        if (m.version > now) {
          exec(m.sql);
          exec("insert into schema_audit.version(version) values ($1)", {std::int64_t{m.version}});
        }
      }
    });
  }
}

} // namespace

std::unique_ptr<SqlBackend>
open_postgres_backend(const std::string& conninfo, model::HistoryStore::Mode mode)
{
  return std::make_unique<PostgresBackend>(conninfo, mode);
}

} // namespace store
