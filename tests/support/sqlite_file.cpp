#include "support/sqlite_file.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <memory>

namespace test {

namespace {

using Handle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

Handle
open(const std::string& path, int flags)
{
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Handle handle(db, &sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    FAIL("cannot open " << path << ": " << sqlite3_errstr(rc));
  }
  return handle;
}

} // namespace

void
sqlite_exec(const std::string& path, const std::string& sql)
{
  const auto db = open(path, SQLITE_OPEN_READWRITE);
  if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    FAIL("cannot run " << sql << ": " << sqlite3_errmsg(db.get()));
  }
}

std::optional<std::string>
sqlite_scalar(const std::string& path, const std::string& sql)
{
  const auto db = open(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    FAIL("cannot run " << sql << ": " << sqlite3_errmsg(db.get()));
  }
  const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, &sqlite3_finalize);
  if (sqlite3_step(st.get()) != SQLITE_ROW || sqlite3_column_type(st.get(), 0) == SQLITE_NULL) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
}

} // namespace test
