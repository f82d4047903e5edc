#include "app/output.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace app {

namespace {

[[noreturn]] void
cannot_write(const std::filesystem::path& path, std::string_view why)
{
  throw util::Fatal(util::ExitCode::usage, fmt::format("cannot write {}{}", path.string(), why));
}

// A symbolic link stays one: the output replaces the file it points to.
std::filesystem::path
file_behind(const std::filesystem::path& path)
{
  std::error_code ec;
  return std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))
           ? std::filesystem::weakly_canonical(path, ec)
           : path;
}

// The folder a regular output file is written into must exist, be writable and have room.
void
check_folder(const std::filesystem::path& path)
{
  auto folder = file_behind(path).parent_path();
  if (folder.empty()) {
    folder = ".";
  }
  struct stat st{};
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || ::access(folder.c_str(), W_OK) != 0) {
    cannot_write(path, "; check that the folder exists and is writable");
  }
  struct statvfs fs{};
  if (::statvfs(folder.c_str(), &fs) == 0 && (::geteuid() == 0 ? fs.f_bfree : fs.f_bavail) == 0) {
    cannot_write(path, ": no space left on its device; free some space or choose another --output");
  }
}

} // namespace

Output::Output(std::optional<std::filesystem::path> path)
  : m_path(std::move(path))
{
  if (!m_path || *m_path == "-") {
    m_path.reset();
    return;
  }
  struct stat st{};
  if (::stat(m_path->c_str(), &st) != 0) {
    check_folder(*m_path);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    cannot_write(*m_path, ": it is a directory; give a file path");
  }
  if (S_ISFIFO(st.st_mode)) {
    // Opening a FIFO for writing blocks until a reader opens it; without O_NONBLOCK a missing
    // reader would hang the command forever. With it, no reader is ENXIO.
    m_fifo = ::open(m_path->c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fifo < 0) {
      cannot_write(*m_path, errno == ENXIO ? ": it is a FIFO with no reader; start the reader first"
                                           : fmt::format(": {}", std::strerror(errno)));
    }
    return;
  }
  if (S_ISCHR(st.st_mode) && ::major(st.st_rdev) == 1 && ::minor(st.st_rdev) == 7) {
    cannot_write(*m_path, ": it is the full device (/dev/full), where every write fails");
  }
  if (S_ISREG(st.st_mode)) {
    check_folder(*m_path);
  } else if (::access(m_path->c_str(), W_OK) != 0) {
    cannot_write(*m_path, fmt::format(": {}", std::strerror(errno)));
  }
}

Output::~Output()
{
  if (m_fifo >= 0) {
    ::close(m_fifo);
  }
}

void
Output::write(const std::function<void(std::ostream&)>& produce) const
{
  if (!m_path) {
    produce(std::cout);
    std::cout.flush();
    return;
  }
  const auto& path = *m_path;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    // A device or a pipe (/dev/null, /dev/stdout, a FIFO): there is nothing to replace
    // atomically, and renaming over it would replace the device with a file. Write to it.
    // A FIFO's reader is there: m_fifo has kept it from seeing the end of the stream.
    std::ofstream out(path, std::ios::binary);
    if (out) {
      produce(out);
      out.flush();
    }
    if (!out) {
      cannot_write(path, "");
    }
    return;
  }
  const auto target = file_behind(path);
  // Write next to the target and rename, so a failed render never leaves half a report.
  auto tmp = target;
  tmp += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      cannot_write(path, "; check that the folder exists and is writable");
    }
    try {
      produce(out);
    } catch (...) {
      out.close();
      std::filesystem::remove(tmp, ec);
      throw;
    }
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      cannot_write(path, ": disk full?");
    }
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    cannot_write(path, fmt::format(": {}", ec.message()));
  }
}

} // namespace app
