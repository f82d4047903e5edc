#include "store/history_store.hpp"

#include "store/history.hpp"
#include "store/pg_history.hpp"

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

std::unique_ptr<HistoryStore>
open_history(const std::string& location, HistoryStore::Mode mode)
{
  if (is_postgresql_location(location)) {
    return std::make_unique<PgHistory>(location, mode);
  }
  return std::make_unique<History>(location, mode);
}

} // namespace store
