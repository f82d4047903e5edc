#include "app/commands.hpp"

#include "store/history_store.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <variant>

namespace app {

namespace {

// Folders a recovery file may go to, in order: beside a SQLite history (where its owner looks),
// else the current folder; the temporary folder when those cannot take it.
std::vector<std::filesystem::path>
recovery_folders(const std::string& location)
{
  std::vector<std::filesystem::path> folders;
  if (!store::is_postgresql_location(location)) {
    const auto folder = std::filesystem::path(location).parent_path();
    folders.push_back(folder.empty() ? "." : folder);
  } else {
    folders.emplace_back(".");
  }
  std::error_code ec;
  const auto tmp = std::filesystem::temp_directory_path(ec);
  if (!ec) {
    folders.push_back(tmp);
  }
  return folders;
}

// Writes `result` into a new recovery file; returns its path, or the last reason none could be
// written.
std::variant<std::filesystem::path, std::string>
keep_in_recovery_file(const std::string& location, const model::AuditResult& result, const std::string& name)
{
  std::string why = "no folder to write it to";
  for (const auto& folder : recovery_folders(location)) {
    auto stamp = util::format_iso(util::now_epoch()); // 2026-03-31T09:00:00Z -> 20260331T090000Z
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    auto path = folder / fmt::format("schema-audit-recovery-{}-{}.db", stamp, ::getpid());
    try {
      store::open_history_file(path, model::HistoryStore::Mode::read_write)->save(result, name);
      return path;
    } catch (const util::Fatal& e) {
      why = e.what();
      std::error_code ec;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path.string() + suffix, ec);
      }
    }
  }
  return why;
}

} // namespace

std::int64_t
save_or_keep(model::HistoryStore& history,
             const std::string& location,
             const model::AuditResult& result,
             const std::string& name)
{
  try {
    return history.save(result, name);
  } catch (const util::Fatal& e) {
    const auto kept = keep_in_recovery_file(location, result, name);
    if (const auto* path = std::get_if<std::filesystem::path>(&kept)) {
      throw util::Fatal(util::ExitCode::history,
                        fmt::format("{}; the snapshot is kept in {}: load it with \"schema-audit history import {} "
                                    "--history {}\" once the history works again",
                                    e.what(), path->string(), path->string(), history_display(location)));
    }
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("{}; the snapshot could not be kept in a recovery file either ({})", e.what(),
                                  std::get<std::string>(kept)));
  }
}

} // namespace app
