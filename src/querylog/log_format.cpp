#include "querylog/log_format.hpp"

#include "querylog/timestamp.hpp"

namespace querylog {

LogFormat
detect_format(std::string_view first_line)
{
  if (!first_line.empty() && first_line.front() == '{') {
    return LogFormat::jsonlog;
  }
  const auto n = timestamp_length(first_line);
  if (n > 0 && n < first_line.size() && first_line[n] == ',') {
    return LogFormat::csvlog;
  }
  return LogFormat::stderr_log;
}

} // namespace querylog
