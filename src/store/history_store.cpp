#include "store/history_store.hpp"

#include "store/history_engine.hpp"

#include <cctype>

namespace store {

bool
is_postgresql_location(const std::string& location)
{
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
    return true;
  }
  // A key=value connection string starts with a keyword and "=" ("host=...", "service=...").
  std::size_t i = 0;
  while (i < location.size() && (std::islower(static_cast<unsigned char>(location[i])) || location[i] == '_')) {
    ++i;
  }
  while (i > 0 && i < location.size() && location[i] == ' ') {
    ++i;
  }
  return i > 0 && i < location.size() && location[i] == '=';
}

std::unique_ptr<model::HistoryStore>
open_history(const std::string& location, model::HistoryStore::Mode mode)
{
  if (is_postgresql_location(location)) {
    return std::make_unique<HistoryEngine>(open_postgres_backend(location, mode));
  }
  return open_history_file(location, mode);
}

std::unique_ptr<model::HistoryStore>
open_history_file(const std::filesystem::path& path, model::HistoryStore::Mode mode)
{
  return std::make_unique<HistoryEngine>(open_sqlite_backend(path, mode));
}

} // namespace store
