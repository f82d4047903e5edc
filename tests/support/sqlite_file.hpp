#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace test {

// Runs `sql` (several statements allowed) on the SQLite file at `path`, behind the history's back.
void sqlite_exec(const std::string& path, const std::string& sql);

// First column of the first row of `sql` on the SQLite file at `path`, or nullopt for NULL / no row.
std::optional<std::string> sqlite_scalar(const std::string& path, const std::string& sql);

} // namespace test
