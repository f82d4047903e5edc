// libFuzzer target: an arbitrary file given as --history. It is opened (and migrated when it is
// an older history), listed, and every snapshot loaded the way report and audit read them. Bad
// files must end in util::Fatal(history), nothing else.
#include "store/history_store.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const std::string path =
    (std::filesystem::temp_directory_path() / ("fuzz-history-" + std::to_string(::getpid()) + ".db")).string();
  for (const auto* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    const auto history = store::open_history_file(path, model::HistoryStore::Mode::read_only);
    for (const auto& name : history->target_names()) {
      (void)history->previous(name);
    }
    for (const auto& info : history->list()) {
      (void)history->load(info.id);
    }
  } catch (const util::Fatal& e) {
    if (e.code() != util::ExitCode::history) {
      __builtin_trap();
    }
  }
  return 0;
}
