#include "util/log.hpp"

#include "util/redact.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace util {

namespace {

std::atomic<int> g_verbosity{0};
std::mutex g_mutex;

} // namespace

void
set_log_verbosity(int verbosity)
{
  g_verbosity = verbosity;
}

bool
log_enabled(LogLevel level)
{
  return g_verbosity >= static_cast<int>(level);
}

void
log_line(const std::string& line)
{
  std::lock_guard lock(g_mutex);
  std::fprintf(stderr, "schema-audit: %s\n", redact_passwords(line).c_str());
}

} // namespace util
