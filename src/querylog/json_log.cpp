// read_json_log: the jsonlog format (PostgreSQL 15+).
#include "querylog/log_format.hpp"
#include "querylog/timestamp.hpp"

#include <nlohmann/json.hpp>

namespace querylog {

void
read_json_log(LineSource& source, const EntryHandler& handler, ReadCounts& counts)
{
  counts.format = "jsonlog";
  std::string line;
  LogEntry entry;
  while (source.next(line)) {
    ++counts.lines;
    const auto object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object() || !object.contains("message")
        || !object["message"].is_string()) {
      ++counts.unparsed_lines;
      continue;
    }
    entry.timestamp = object.value("timestamp", "");
    entry.epoch = timestamp_epoch(entry.timestamp);
    if (const auto it = object.find("dbname"); it != object.end() && it->is_string()) {
      entry.database = it->get<std::string>();
    } else {
      entry.database = std::string(); // a process without a session
    }
    entry.severity = object.value("error_severity", "");
    entry.message = object["message"].get<std::string>();
    handler(entry);
  }
}

} // namespace querylog
