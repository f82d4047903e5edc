#include "querylog/read_query_logs.hpp"

#include "querylog/line_source.hpp"
#include "querylog/log_format.hpp"
#include "querylog/log_paths.hpp"
#include "querylog/statement_aggregator.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace querylog {

namespace {

// The first non-empty line of `path` (for its format), or "".
std::string
first_line(const std::string& path)
{
  LineSource source(path);
  std::string line;
  while (source.next(line)) {
    if (!line.empty()) {
      return line;
    }
  }
  return {};
}

void
read_one(const std::string& path, const std::optional<LinePrefix>& prefix, StatementAggregator& aggregator,
         QueryLog& log)
{
  const auto format = detect_format(first_line(path));
  LineSource source(path);
  ReadCounts counts;
  const EntryHandler handler = [&](const LogEntry& e) { aggregator.add(e); };
  try {
    switch (format) {
    case LogFormat::csvlog:
      read_csv_log(source, handler, counts);
      break;
    case LogFormat::jsonlog:
      read_json_log(source, handler, counts);
      break;
    case LogFormat::stderr_log:
      read_stderr_log(source, prefix, handler, counts);
      break;
    }
  } catch (const util::Error& e) {
    util::log(util::LogLevel::info, "query log {}: {}; the rest of it is left out", path, e.what());
    ++counts.unparsed_lines;
  }
  log.lines += counts.lines;
  log.unparsed_lines += counts.unparsed_lines;
  log.files.emplace_back(path, counts.format);
  util::log(util::LogLevel::info, "query log {}: {} line(s) read as {}, {} not parsed", path, counts.lines,
            counts.format, counts.unparsed_lines);
}

} // namespace

QueryLog
read_query_logs(const ReadOptions& options)
{
  QueryLog log;
  const auto paths = expand_log_paths(options.patterns);
  std::optional<LinePrefix> prefix;
  if (options.log_line_prefix) {
    prefix.emplace(*options.log_line_prefix);
  }
  StatementAggregator aggregator(log, options.max_distinct);
  for (const auto& path : paths) {
    read_one(path, prefix, aggregator, log);
  }
  return log;
}

} // namespace querylog
