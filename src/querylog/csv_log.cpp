// read_csv_log: the csvlog format.
#include "querylog/csv_record.hpp"
#include "querylog/log_format.hpp"
#include "querylog/timestamp.hpp"

namespace querylog {

namespace {

// Columns of csvlog, the same since PostgreSQL 9.0 (later releases add columns at the end).
constexpr std::size_t k_log_time = 0;
constexpr std::size_t k_database_name = 2;
constexpr std::size_t k_error_severity = 11;
constexpr std::size_t k_message = 13;
constexpr std::size_t k_min_columns = 23;
constexpr std::size_t k_max_record = 16 * 1024 * 1024;

} // namespace

void
read_csv_log(LineSource& source, const EntryHandler& handler, ReadCounts& counts)
{
  counts.format = "csvlog";
  CsvRecord record;
  std::uint64_t record_lines = 0;
  std::string line;
  LogEntry entry;
  while (source.next(line)) {
    ++counts.lines;
    ++record_lines;
    if (!record.add_line(line)) {
      if (record.size() > k_max_record) {
        counts.unparsed_lines += record_lines;
        record.reset();
        record_lines = 0;
      }
      continue;
    }
    const auto& f = record.fields();
    if (f.size() < k_min_columns || timestamp_length(f[k_log_time]) == 0) {
      counts.unparsed_lines += record_lines;
      record_lines = 0;
      continue;
    }
    record_lines = 0;
    entry.timestamp = f[k_log_time];
    entry.epoch = timestamp_epoch(entry.timestamp);
    entry.database = f[k_database_name];
    entry.severity = f[k_error_severity];
    entry.message = f[k_message];
    handler(entry);
  }
  counts.unparsed_lines += record.open() ? record_lines : 0;
}

} // namespace querylog
