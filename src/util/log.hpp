#pragma once

#include <fmt/format.h>

#include <string>

namespace util {

// Diagnostics for -v / -vv. Library code logs through here and never prints directly; the app
// decides the verbosity and where lines go (stderr by default).
enum class LogLevel { info = 1, debug = 2 };

void set_log_verbosity(int verbosity);
bool log_enabled(LogLevel level);
void log_line(const std::string& line);

template<typename... Args>
void
log(LogLevel level, fmt::format_string<Args...> format, Args&&... args)
{
  if (log_enabled(level)) {
    log_line(fmt::format(format, std::forward<Args>(args)...));
  }
}

} // namespace util
