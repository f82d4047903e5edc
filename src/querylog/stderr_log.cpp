// read_stderr_log: the stderr format, its prefix given or detected.
#include "querylog/log_format.hpp"

#include "querylog/timestamp.hpp"

#include <fmt/format.h>

#include <vector>

namespace querylog {

namespace {

constexpr std::size_t k_sample_lines = 500;
constexpr std::size_t k_max_message = 16 * 1024 * 1024;

// Without a known prefix: the first "SEVERITY:  " after a space, and a timestamp at the start.
std::optional<PrefixFields>
match_without_prefix(std::string_view line)
{
  for (std::size_t pos = 0; pos < line.size(); ++pos) {
    if ((pos == 0 || line[pos - 1] == ' ') && line[pos] >= 'A' && line[pos] <= 'Z' && severity_length(line.substr(pos)) > 0) {
      PrefixFields fields;
      fields.timestamp = line.substr(0, timestamp_length(line));
      fields.end = pos;
      return fields;
    }
  }
  return std::nullopt;
}

class StderrReader
{
public:
  StderrReader(const std::optional<LinePrefix>& prefix, const EntryHandler& handler, ReadCounts& counts)
    : m_prefix(prefix),
      m_handler(handler),
      m_counts(counts)
  {
  }

  void line(const std::string& line)
  {
    ++m_counts.lines;
    if (!line.empty() && line[0] == '\t') {
      if (!m_pending) {
        ++m_counts.unparsed_lines;
      } else if (m_entry.message.size() + line.size() < k_max_message) {
        m_entry.message += '\n';
        m_entry.message.append(line, 1);
      } else {
        m_pending = false; // grown too long: dropped, and its lines counted
        m_counts.unparsed_lines += m_lines + 1;
      }
      m_lines += m_pending;
      return;
    }
    flush();
    if (line.empty()) {
      return;
    }
    const auto fields = m_prefix ? m_prefix->match(line) : match_without_prefix(line);
    if (!fields) {
      ++m_counts.unparsed_lines;
      return;
    }
    const std::string_view rest = std::string_view(line).substr(fields->end);
    const auto severity = severity_length(rest);
    m_entry.timestamp.assign(fields->timestamp);
    m_entry.epoch = fields->timestamp.empty() ? std::nullopt : timestamp_epoch(fields->timestamp);
    if (fields->database) {
      m_entry.database = std::string(*fields->database);
    } else {
      m_entry.database.reset();
    }
    m_entry.severity.assign(rest.substr(0, severity - 3));
    m_entry.message.assign(rest.substr(severity));
    m_pending = true;
    m_lines = 1;
  }

  void flush()
  {
    if (m_pending) {
      m_handler(m_entry);
      m_pending = false;
    }
  }

private:
  const std::optional<LinePrefix>& m_prefix;
  const EntryHandler& m_handler;
  ReadCounts& m_counts;
  LogEntry m_entry;
  bool m_pending = false;
  std::uint64_t m_lines = 0;
};

} // namespace

void
read_stderr_log(LineSource& source, const std::optional<LinePrefix>& given, const EntryHandler& handler,
                ReadCounts& counts)
{
  // The first lines decide the prefix; they are kept until it is known, no more.
  std::vector<std::string> sample;
  std::string line;
  std::optional<LinePrefix> prefix = given;
  if (!prefix) {
    while (sample.size() < k_sample_lines && source.next(line)) {
      sample.push_back(line);
    }
    prefix = detect_prefix(sample);
  }
  counts.format = prefix ? fmt::format("stderr (log_line_prefix '{}')", prefix->setting())
                         : "stderr (log_line_prefix not recognised: no database names)";
  StderrReader reader(prefix, handler, counts);
  for (const auto& l : sample) {
    reader.line(l);
  }
  std::vector<std::string>().swap(sample);
  while (source.next(line)) {
    reader.line(line);
  }
  reader.flush();
}

} // namespace querylog
