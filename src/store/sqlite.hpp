#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace store {

// Thin RAII over the sqlite3 C API. Errors throw util::Fatal(history) with `context` and
// SQLite's reason, plus a hint for the common causes (corrupt, read-only, full, locked).
class Database
{
public:
  // Opens `path`, or the URI `uri` when given (SQLITE_OPEN_URI; messages still name `path`).
  Database(const std::string& path, int flags, const std::optional<std::string>& uri = std::nullopt);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return m_db; }
  const std::string& path() const { return m_path; }
  void exec(const std::string& sql, std::string_view context) const;
  [[noreturn]] void fail(int rc, std::string_view context) const;

private:
  sqlite3* m_db = nullptr;
  std::string m_path;
};

class Statement
{
public:
  Statement(const Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  // Returns true while there is a row.
  bool step();
  // step() and expect completion.
  void run();
  void reset();

  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<double> optional_real(int column) const;

private:
  const Database& m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

} // namespace store
