#include "querylog/line_source.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace querylog {

namespace {

gzFile
as_gz(void* file)
{
  return static_cast<gzFile>(file);
}

} // namespace

LineSource::LineSource(const std::string& path)
  : m_path(path)
{
  errno = 0;
  m_file = gzopen(path.c_str(), "rb");
  if (!m_file) {
    throw util::Error(fmt::format("{}: {}", path, errno ? std::strerror(errno) : "cannot open"));
  }
  gzbuffer(as_gz(m_file), 256 * 1024);
}

LineSource::~LineSource()
{
  if (m_file) {
    gzclose(as_gz(m_file));
  }
}

bool
LineSource::next(std::string& line)
{
  line.clear();
  char buffer[64 * 1024];
  bool read_any = false;
  while (gzgets(as_gz(m_file), buffer, sizeof buffer)) {
    read_any = true;
    const auto n = std::strlen(buffer);
    const bool complete = n > 0 && buffer[n - 1] == '\n';
    if (line.size() < max_line) {
      line.append(buffer, std::min(n, max_line - line.size()));
    }
    if (complete) {
      break;
    }
  }
  if (!read_any) {
    int code = Z_OK;
    const char* message = gzerror(as_gz(m_file), &code);
    if (code != Z_OK && code != Z_STREAM_END) {
      throw util::Error(fmt::format("{}: cannot read it: {}", m_path, code == Z_ERRNO ? std::strerror(errno) : message));
    }
    return false;
  }
  if (!line.empty() && line.back() == '\n') {
    line.pop_back();
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return true;
}

} // namespace querylog
