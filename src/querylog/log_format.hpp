#pragma once

#include "querylog/line_prefix.hpp"
#include "querylog/log_entry.hpp"
#include "querylog/line_source.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace querylog {

enum class LogFormat { stderr_log, csvlog, jsonlog };

// The format of a log whose first line is `first_line`: jsonlog when it is a JSON object,
// csvlog when it is a timestamp followed by a comma, else stderr.
LogFormat detect_format(std::string_view first_line);

using EntryHandler = std::function<void(const LogEntry&)>;

// What reading one file counted.
struct ReadCounts
{
  std::uint64_t lines = 0;
  std::uint64_t unparsed_lines = 0;
  // How the file was read: "csvlog", "jsonlog", "stderr (log_line_prefix '...')".
  std::string format;
};

// Reads the messages of a stderr log from `source`, one `handler` call per message with its
// tab-led continuation lines. The prefix is `given`, else the one of common_prefixes() that
// fits the file's first lines, else none: the severity is then found in each line and no
// database is known.
void read_stderr_log(LineSource& source, const std::optional<LinePrefix>& given, const EntryHandler& handler,
                     ReadCounts& counts);

// Reads the records of a csvlog file (log_time, ..., database_name, ..., error_severity,
// ..., message, ...).
void read_csv_log(LineSource& source, const EntryHandler& handler, ReadCounts& counts);

// Reads the objects of a jsonlog file, one a line (PostgreSQL 15+: timestamp, dbname,
// error_severity, message).
void read_json_log(LineSource& source, const EntryHandler& handler, ReadCounts& counts);

} // namespace querylog
