#pragma once

#include <optional>
#include <string>

namespace querylog {

// One message of the server log, whatever its format: the primary message with its
// continuation lines joined by "\n" (a stderr log's tab-led lines, a csvlog's quoted newlines).
struct LogEntry
{
  // As the log wrote it ("2026-12-02 20:15:01.123 UTC"); empty when the format says nothing.
  std::string timestamp;
  // Seconds since the epoch of `timestamp`, read as UTC (the zone is left out: the period of
  // one log is right as long as its zone does not change).
  std::optional<double> epoch;
  // The database of the session; nullopt when the format (or log_line_prefix) does not say.
  std::optional<std::string> database;
  // LOG, ERROR, DETAIL, STATEMENT...: stderr logs write the DETAIL of a message as a message of
  // its own; csvlog and jsonlog put it in the message's `detail`, which is not kept.
  std::string severity;
  std::string message;
};

} // namespace querylog
