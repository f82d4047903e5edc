#include "querylog/log_paths.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace querylog {

namespace {

bool
has_glob_chars(const std::string& pattern)
{
  return pattern.find_first_of("*?[") != std::string::npos;
}

// strerror's text with a lowercase first letter, as our messages are written.
std::string
reason(int error)
{
  std::string text = std::strerror(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

// Throws when `path` is not a readable regular file (or a symlink to one).
void
check_readable(const std::string& path, const std::string& pattern)
{
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    throw util::Error(fmt::format("query log {}: {}; give the server's log file (a path or a glob)", pattern, reason(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    throw util::Error(fmt::format("query log {}: not a regular file", path));
  }
  if (::access(path.c_str(), R_OK) != 0) {
    throw util::Error(fmt::format("query log {}: cannot read it: {}", path, reason(errno)));
  }
}

} // namespace

std::vector<std::string>
expand_log_paths(const std::vector<std::string>& patterns)
{
  std::vector<std::string> paths;
  std::set<std::string> seen;
  for (const auto& pattern : patterns) {
    std::vector<std::string> found;
    if (has_glob_chars(pattern)) {
      glob_t g{};
      const int rc = ::glob(pattern.c_str(), GLOB_ERR, nullptr, &g);
      if (rc == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
          found.emplace_back(g.gl_pathv[i]);
        }
      }
      ::globfree(&g);
      if (rc == GLOB_NOMATCH || (rc == 0 && found.empty())) {
        throw util::Error(fmt::format("query log {}: no file matches this pattern", pattern));
      }
      if (rc != 0) {
        throw util::Error(fmt::format("query log {}: cannot list the files it matches", pattern));
      }
      std::sort(found.begin(), found.end());
    } else {
      found.push_back(pattern);
    }
    for (auto& path : found) {
      check_readable(path, pattern);
      if (seen.insert(path).second) {
        paths.push_back(std::move(path));
      }
    }
  }
  return paths;
}

} // namespace querylog
