#pragma once

#include "model/history_store.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace store {

// A statement parameter ($1, $2, ...) or a value of a RowBatch: NULL, an integer, a float, text.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// The rows a statement returns, read by column (0 first) while next() holds one. NULL reads as
// "" or 0, and as nullopt with the optional_ readers.
class SqlRows
{
public:
  virtual ~SqlRows() = default;
  virtual bool next() = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::int64_t int64(int column) const = 0;
  virtual double real(int column) const = 0;

  std::optional<std::string> optional_text(int column) const
  {
    return is_null(column) ? std::nullopt : std::optional<std::string>(text(column));
  }
  std::optional<double> optional_real(int column) const
  {
    return is_null(column) ? std::nullopt : std::optional<double>(real(column));
  }
};

// The rows of one bulk statement (SqlBackend::for_rows): typed columns, and each row's values
// made when they are bound, so that the rows of a snapshot are never copied whole.
struct RowBatch
{
  enum class Type { integer, real, text };
  struct Column
  {
    std::string name;
    Type type = Type::text;
  };
  std::vector<Column> columns;
  std::size_t size = 0;
  std::function<std::vector<SqlValue>(std::size_t row)> row;
};

// A history database as the engine (store/history_engine.hpp) uses it. Statements are written
// once for both: $n parameters, cast(x as type) rather than x::type, insert ... returning, on
// conflict ... do; what SQLite and PostgreSQL spell differently is in spell(). Every failure is
// util::Fatal(history), its message starting with name().
class SqlBackend
{
public:
  // What SQLite and PostgreSQL spell differently, as fmt patterns.
  struct Spellings
  {
    // {0} is one of the texts of the JSON array {1} (a parameter).
    std::string_view in_json_list;
    // The number under key {1} (an expression) of the JSON text {0}; NULL when it is not one.
    std::string_view json_number;
  };

  explicit SqlBackend(const Spellings& spellings)
    : m_spellings(spellings)
  {
  }
  virtual ~SqlBackend() = default;

  const Spellings& spell() const { return m_spellings; }

  // How messages name the history: "history file PATH" or "history database CONNINFO" (no password).
  virtual const std::string& name() const = 0;

  virtual std::unique_ptr<SqlRows> query(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;

  // Runs `sql`, where "{rows}" stands for a table u of `rows`, for all of them: SQLite once per
  // row (one prepared statement), PostgreSQL once per few megabytes of rows, each column bound as
  // an array and unnested. So `sql` must mean the same run on any split of the rows.
  // `params` are $1..$n, the columns the numbers after; `on_row` takes the rows it returns.
  virtual void for_rows(const std::string& sql,
                        const std::vector<SqlValue>& params,
                        const RowBatch& rows,
                        const std::function<void(const SqlRows&)>& on_row = {}) = 0;

  // Runs `body` as one write transaction, rolled back whole when anything in it fails. SQLite
  // first takes the file's write lock; PostgreSQL runs it again on a new connection when the
  // server closed the connection meanwhile.
  virtual void write_transaction(const std::function<void()>& body) = 0;

  // Gives back the memory the backend keeps between statements (SQLite's page cache, up to its
  // cache_size) once a large read is done and no write follows soon: the previous snapshot is
  // read at the start of an audit, and the cache it filled would stay through the checks.
  virtual void release_memory() {}

private:
  Spellings m_spellings;
};

// A SQLite history file: WAL mode, migrated from history/ on open. read_write creates the file
// when missing; read_only requires it, creates nothing beside it and migrates it only when this
// user may write it.
std::unique_ptr<SqlBackend> open_sqlite_backend(const std::filesystem::path& path, model::HistoryStore::Mode mode);

// A history in a PostgreSQL database shared by a team (--history postgresql://... or "host=...
// dbname=..."): schema schema_audit, migrated on open under an advisory lock. The connection is
// a normal read-write one to the history database, never to an audited target.
std::unique_ptr<SqlBackend> open_postgres_backend(const std::string& conninfo, model::HistoryStore::Mode mode);

// util::Fatal(history) with the message `format` makes of `args`.
template<typename... Args>
util::Fatal
history_error(fmt::format_string<Args...> format, Args&&... args)
{
  return util::Fatal(util::ExitCode::history, fmt::format(format, std::forward<Args>(args)...));
}

} // namespace store
