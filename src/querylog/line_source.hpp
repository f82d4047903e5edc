#pragma once

#include <cstddef>
#include <string>

namespace querylog {

// The lines of one log file, read one at a time through zlib: a `.gz` file is decompressed as it
// is read, any other file is read as it is (gzread passes plain files through). Never holds more
// than one line (and zlib's buffer) in memory.
class LineSource
{
public:
  // Opens `path`. Throws util::Error "<path>: <reason>" when it cannot be opened.
  explicit LineSource(const std::string& path);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // Reads the next line into `line`, without its "\n" (or "\r\n"). A line longer than
  // `max_line` bytes is cut there and the rest skipped (a statement cut so does not parse, and
  // is counted as such). False at the end of the file; throws util::Error when the file cannot
  // be read (a corrupt .gz).
  bool next(std::string& line);

  static constexpr std::size_t max_line = 4 * 1024 * 1024;

private:
  void* m_file = nullptr; // gzFile
  std::string m_path;
};

} // namespace querylog
