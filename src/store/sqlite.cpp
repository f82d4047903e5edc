#include "store/sqlite.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

namespace store {

namespace {

std::string
hint_for(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return "the file is not a schema-audit history or is damaged; restore it from a backup or "
           "point --history at a new file";
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_CANTOPEN:
    return "check that the file and its folder exist and are writable by this user";
  case SQLITE_FULL:
  case SQLITE_IOERR:
    return "free disk space (nothing was stored; the file is unchanged)";
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return "another schema-audit is writing this file; try again when it has finished";
  default:
    return "nothing was stored";
  }
}

} // namespace

Database::Database(const std::string& path, int flags, const std::optional<std::string>& uri)
  : m_path(path)
{
  const int rc = sqlite3_open_v2(uri.value_or(path).c_str(), &m_db, flags, nullptr);
  if (rc != SQLITE_OK) {
    fail(rc, "cannot open");
  }
  sqlite3_extended_result_codes(m_db, 1);
  sqlite3_busy_timeout(m_db, 30000);
}

Database::~Database()
{
  sqlite3_close_v2(m_db);
}

void
Database::fail(int rc, std::string_view context) const
{
  const char* reason = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT
      || (rc & 0xff) == SQLITE_FULL) {
    reason = sqlite3_errstr(rc);
  }
  throw util::Fatal(util::ExitCode::history,
                    fmt::format("history file {}: {}: {}; {}", m_path, context, reason, hint_for(rc)));
}

void
Database::exec(const std::string& sql, std::string_view context) const
{
  char* err = nullptr;
  const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
  if (err) {
    sqlite3_free(err);
  }
  if (rc != SQLITE_OK) {
    fail(rc, context);
  }
}

Statement::Statement(const Database& db, const char* sql)
  : m_db(db)
{
  const int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr);
  if (rc != SQLITE_OK) {
    db.fail(rc, "cannot read");
  }
}

Statement::~Statement()
{
  sqlite3_finalize(m_stmt);
}

Statement&
Statement::bind(int index, std::string_view value)
{
  sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement&
Statement::bind(int index, std::int64_t value)
{
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement&
Statement::bind(int index, double value)
{
  sqlite3_bind_double(m_stmt, index, value);
  return *this;
}

Statement&
Statement::bind_null(int index)
{
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

bool
Statement::step()
{
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  m_db.fail(rc, "cannot access");
}

void
Statement::run()
{
  while (step()) {
  }
  reset();
}

void
Statement::reset()
{
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::int64_t
Statement::int64(int column) const
{
  return sqlite3_column_int64(m_stmt, column);
}

double
Statement::real(int column) const
{
  return sqlite3_column_double(m_stmt, column);
}

std::string
Statement::text(int column) const
{
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

std::optional<double>
Statement::optional_real(int column) const
{
  if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return real(column);
}

std::optional<std::string>
Statement::optional_text(int column) const
{
  if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return text(column);
}

} // namespace store
