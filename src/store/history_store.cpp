#include "store/history_store.hpp"

#include "store/history.hpp"
#include "store/pg_history.hpp"
#include "util/embedded_files.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace store {

const std::vector<model::Finding>&
distinct_findings(const std::vector<model::Finding>& findings, std::vector<model::Finding>& storage)
{
  std::unordered_set<std::string_view> seen;
  seen.reserve(findings.size() * 2);
  const bool repeated = std::any_of(findings.begin(), findings.end(),
                                    [&](const model::Finding& f) { return !seen.insert(f.fingerprint).second; });
  if (!repeated) {
    return findings;
  }
  seen.clear();
  for (const auto& f : findings) {
    if (seen.insert(f.fingerprint).second) {
      storage.push_back(f);
    }
  }
  return storage;
}

std::vector<Migration>
embedded_migrations(std::string_view dir)
{
  std::vector<Migration> out;
  for (const auto& file : util::embedded_files()) {
    if (file.path.substr(0, dir.size()) != dir) {
      continue;
    }
    const auto name = file.path.substr(dir.size());
    if (name.size() > 4 && name.find('/') == std::string_view::npos) {
      out.push_back(Migration{std::stoi(std::string(name.substr(0, 4))), file.path, file.content});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

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
    return std::make_unique<PgHistory>(location, mode);
  }
  return std::make_unique<History>(location, mode);
}

} // namespace store
