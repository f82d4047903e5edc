#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace util {

// A temporary file of records that an audit keeps out of memory until it shows or stores them
// (#19): the findings' words and evidence, the schema's catalog. The file is made in TMPDIR (else
// /tmp) at the first write and removed from the folder at once, so nothing is left behind however
// the process ends. A record is a list of values; records are appended in batches (a buffer the
// writer fills with add_record()) and read back one at a time by where they start.
//
// When no file can be made or written (no usable TMPDIR, a full disk), append() says so and the
// caller keeps what it meant to write in memory: the audit goes on as before.
class SpillFile
{
public:
  // The file is named schema-audit-`name`-XXXXXX while it is in the folder; `holds` names the
  // contents for the log and errors ("the findings' words and evidence").
  SpillFile(std::string name, std::string holds) : m_name(std::move(name)), m_holds(std::move(holds)) {}
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // A writer flushes its buffer to the file when it reaches this size.
  static constexpr std::size_t k_batch_bytes = std::size_t{1} << 20;

  // Appends the record of `values` to `buffer`: its length, then each value's length and bytes
  // (lengths 32-bit, in the machine's byte order: the file lives as long as the process).
  static void add_record(std::string& buffer, const std::vector<std::string_view>& values);

  // The values of the record that starts at `at` of `buffer` (made with add_record()).
  static std::vector<std::string> record_in(const std::string& buffer, std::size_t at);

  // Writes `buffer` (records made with add_record()) at the file's end; where it starts, or -1
  // when the file cannot take it (logged once). Safe to call from several threads.
  std::int64_t append(const std::string& buffer);

  // The values of the record that starts at `at`. The file is read in windows of
  // k_window_bytes, the last few kept: the audit reads its records in passes, each in the order
  // they were written (two or three passes interleaved at most), so most records come from a
  // window already read, and a pass over the file takes a read per window, not one per record.
  // Safe to call from several threads.
  std::vector<std::string> record_at(std::int64_t at) const;

  static constexpr std::size_t k_window_bytes = std::size_t{64} << 10;
  static constexpr std::size_t k_windows = 4;

  // The bytes written so far.
  std::int64_t bytes() const;

private:
  std::string m_name;
  std::string m_holds;
  int m_fd = -1;           // the temporary file, already removed from its folder
  bool m_unusable = false; // it could not be made or written: the caller keeps its records
  std::int64_t m_end = 0;
  mutable std::mutex m_mutex;

  // The windows of the file read last (record_at()): where each starts (-1: none yet), its
  // bytes, and when it was last used, to replace the one used longest ago.
  struct Window
  {
    std::int64_t start = -1;
    std::string bytes;
    std::uint64_t used = 0;
  };
  mutable std::array<Window, k_windows> m_windows;
  mutable std::uint64_t m_reads = 0;
  mutable std::mutex m_windows_mutex;
};

} // namespace util
