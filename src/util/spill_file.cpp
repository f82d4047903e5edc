#include "util/spill_file.hpp"

#include "util/error.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <stdlib.h>
#include <unistd.h>

namespace util {

namespace {

// What a record read out of order reads first: most records are a few hundred bytes to a few
// kilobytes; a longer one is read again whole.
constexpr std::size_t k_record_bytes = 4096;

using Length = std::uint32_t;

void
append_length(std::string& buffer, std::size_t length)
{
  const auto value = static_cast<Length>(length);
  buffer.append(reinterpret_cast<const char*>(&value), sizeof value);
}

Length
length_at(const char* at)
{
  Length value = 0;
  std::memcpy(&value, at, sizeof value);
  return value;
}

[[noreturn]] void
shorter_than_written(const std::string& holds)
{
  throw Error(fmt::format("cannot read {} back from their temporary file: it is shorter than written", holds));
}

// Reads up to `size` bytes at `offset` of `fd` into `out`: all of them, or fewer at the file's end.
std::size_t
read_at(int fd, std::int64_t offset, std::size_t size, char* out, const std::string& holds)
{
  std::size_t done = 0;
  while (done < size) {
    const auto n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw Error(fmt::format("cannot read {} back from their temporary file: {}", holds, std::strerror(errno)));
    }
    if (n == 0) {
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return done;
}

// A new file schema-audit-`name`-XXXXXX in the temporary folder, removed from it at once; -1 and
// `why` when there is none.
int
open_anonymous_file(const std::string& name, std::string& why)
{
  std::error_code ec;
  const auto folder = std::filesystem::temp_directory_path(ec);
  if (ec) {
    why = ec.message();
    return -1;
  }
  auto path = (folder / fmt::format("schema-audit-{}-XXXXXX", name)).string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    why = fmt::format("{}: {}", path, std::strerror(errno));
    return -1;
  }
  ::unlink(path.c_str());
  return fd;
}

} // namespace

SpillFile::~SpillFile()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void
SpillFile::add_record(std::string& buffer, const std::vector<std::string_view>& values)
{
  const auto start = buffer.size();
  append_length(buffer, 0); // the record's length, set below
  for (const auto value : values) {
    append_length(buffer, value.size());
    buffer += value;
  }
  const auto body = static_cast<Length>(buffer.size() - start - sizeof(Length));
  std::memcpy(buffer.data() + start, &body, sizeof body);
}

std::vector<std::string>
SpillFile::record_in(const std::string& buffer, std::size_t at)
{
  if (buffer.size() < at + sizeof(Length) || buffer.size() - at - sizeof(Length) < length_at(buffer.data() + at)) {
    throw Error("a spilled record is shorter than written");
  }
  const auto end = at + sizeof(Length) + length_at(buffer.data() + at);
  std::vector<std::string> values;
  std::size_t pos = at + sizeof(Length);
  while (pos < end) {
    const auto length = length_at(buffer.data() + pos);
    pos += sizeof(Length);
    values.emplace_back(buffer, pos, length);
    pos += length;
  }
  return values;
}

std::int64_t
SpillFile::append(const std::string& buffer)
{
  std::lock_guard lock(m_mutex);
  if (m_unusable) {
    return -1;
  }
  if (m_fd < 0) {
    std::string why;
    m_fd = open_anonymous_file(m_name, why);
    if (m_fd < 0) {
      m_unusable = true;
      log(LogLevel::info, "{} stay in memory: no temporary file ({})", m_holds, why);
      return -1;
    }
  }
  std::size_t done = 0;
  while (done < buffer.size()) {
    const auto n = ::pwrite(m_fd, buffer.data() + done, buffer.size() - done,
                            static_cast<off_t>(m_end + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      // A full disk: this buffer and the later ones stay with the caller; the ones written stay.
      m_unusable = true;
      log(LogLevel::info, "{} stay in memory from here: the temporary file is full ({})", m_holds, std::strerror(errno));
      return -1;
    }
    done += static_cast<std::size_t>(n);
  }
  const auto at = m_end;
  m_end += static_cast<std::int64_t>(buffer.size());
  return at;
}

std::vector<std::string>
SpillFile::record_at(std::int64_t at) const
{
  if (m_fd < 0) {
    throw Error(fmt::format("{} are in a temporary file this audit did not write", m_holds));
  }
  std::lock_guard lock(m_windows_mutex);
  ++m_reads;
  // The record, when a window holds it whole: its length, then its values.
  const auto in_window = [&](Window& window) -> bool {
    if (window.start < 0 || at < window.start) {
      return false;
    }
    const auto offset = static_cast<std::size_t>(at - window.start);
    return window.bytes.size() >= offset + sizeof(Length)
           && window.bytes.size() - offset - sizeof(Length) >= length_at(window.bytes.data() + offset);
  };
  for (auto& window : m_windows) {
    if (in_window(window)) {
      window.used = m_reads;
      return record_in(window.bytes, static_cast<std::size_t>(at - window.start));
    }
  }
  // A new window from `at`, in place of the one used longest ago. The bytes before the file's
  // end were written before the caller learnt `at` (append() returns it after the write), and a
  // window read near the end is shorter: a later record past it reads a new one. A record just
  // past the window used last (a pass in the order of writing) gets a whole window; any other
  // a read of k_record_bytes: a reader in another order (the report's fix-first list of a
  // snapshot spilled in fingerprint order) copied 64 KB per record, 40% of its time.
  const auto& last = *std::max_element(m_windows.begin(), m_windows.end(),
                                       [](const Window& a, const Window& b) { return a.used < b.used; });
  const bool follows = last.start >= 0 && at >= last.start
                       && static_cast<std::size_t>(at - last.start) < 2 * k_window_bytes;
  auto& window = *std::min_element(m_windows.begin(), m_windows.end(),
                                   [](const Window& a, const Window& b) { return a.used < b.used; });
  window.start = -1;
  window.bytes.resize(follows ? k_window_bytes : k_record_bytes);
  window.bytes.resize(read_at(m_fd, at, window.bytes.size(), window.bytes.data(), m_holds));
  if (window.bytes.size() < sizeof(Length)) {
    shorter_than_written(m_holds);
  }
  const auto size = sizeof(Length) + length_at(window.bytes.data());
  if (size > window.bytes.size()) { // longer than a window (or cut by the file's end): read whole
    std::string record(size, '\0');
    if (read_at(m_fd, at, size, record.data(), m_holds) != size) {
      shorter_than_written(m_holds);
    }
    return record_in(record, 0);
  }
  window.start = at;
  window.used = m_reads;
  return record_in(window.bytes, 0);
}

std::int64_t
SpillFile::bytes() const
{
  std::lock_guard lock(m_mutex);
  return m_end;
}

} // namespace util
