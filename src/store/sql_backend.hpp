#pragma once

#include "model/history_store.hpp"

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
// "" or 0, but as nullopt with the optional_ readers.
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

// The rows one bulk statement writes (SqlBackend::for_rows): named, typed columns, and each row's
// values asked for when they are bound, so that the rows of a snapshot are never copied whole.
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
  // The values of row `row` (from 0), one per column.
  std::function<std::vector<SqlValue>(std::size_t row)> row;
};

// A history database as the engine (store/history_engine.hpp) needs it. Statements are written
// once for both: $n parameters, cast(x as type) rather than x::type, insert ... returning,
// on conflict ... do; what SQLite and PostgreSQL spell differently is a method here. Every
// failure is util::Fatal(history), its message starting with name().
class SqlBackend
{
public:
  virtual ~SqlBackend() = default;

  // How messages name the history: "history file PATH" or "history database CONNINFO" (no password).
  virtual const std::string& name() const = 0;

  // Runs `sql` with `params` bound to $1..$n; its rows.
  virtual std::unique_ptr<SqlRows> query(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;

  // Runs `sql`, in which "{rows}" stands for a table u holding `rows`, for all of them: SQLite
  // once per row (one prepared statement, binding the row), PostgreSQL once, each column bound
  // as an array and unnested, so a snapshot of 100,000 rows is a few statements. `params` are
  // $1..$n and the columns take the numbers after. Each row the statement returns goes to `on_row`.
  virtual void for_rows(const std::string& sql,
                        const std::vector<SqlValue>& params,
                        const RowBatch& rows,
                        const std::function<void(const SqlRows&)>& on_row = {}) = 0;

  // Runs `body` as one write transaction, rolled back whole when anything in it fails. SQLite
  // first takes the file's write lock; PostgreSQL runs it again on a new connection when the
  // server closed the connection meanwhile.
  virtual void write_transaction(const std::function<void()>& body) = 0;

  // A list of texts bound as one parameter, and the condition that `expr` is one of the list
  // `param` ("$2").
  virtual SqlValue list_value(const std::vector<std::string>& values) const = 0;
  virtual std::string in_list(std::string_view expr, std::string_view param) const = 0;

  // The number under key `key` (an expression) of the JSON text `json`; NULL when it is not one.
  virtual std::string json_number(std::string_view json, std::string_view key) const = 0;
};

// A SQLite history file: WAL mode, migrated from history/ on open. read_write creates the file
// when missing; read_only requires it, creates nothing beside it and migrates it only when this
// user may write it.
std::unique_ptr<SqlBackend> open_sqlite_backend(const std::filesystem::path& path, model::HistoryStore::Mode mode);

// A history in a PostgreSQL database shared by a team (--history postgresql://... or "host=...
// dbname=..."): schema schema_audit, migrated on open under an advisory lock. The connection is a
// normal read-write one to the history database, never to an audited target.
std::unique_ptr<SqlBackend> open_postgres_backend(const std::string& conninfo, model::HistoryStore::Mode mode);

} // namespace store
