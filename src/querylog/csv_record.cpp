#include "querylog/csv_record.hpp"

namespace querylog {

void
CsvRecord::reset()
{
  m_fields.clear();
  m_in_quotes = false;
  m_complete = true;
  m_size = 0;
}

bool
CsvRecord::add_line(std::string_view line)
{
  if (m_complete) {
    reset();
    m_fields.emplace_back();
    m_complete = false;
  } else {
    m_fields.back() += '\n'; // a newline inside a quoted field
  }
  m_size += line.size() + 1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (m_in_quotes) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          m_fields.back() += '"';
          ++i;
        } else {
          m_in_quotes = false;
        }
      } else {
        m_fields.back() += c;
      }
    } else if (c == '"') {
      m_in_quotes = true;
    } else if (c == ',') {
      m_fields.emplace_back();
    } else {
      m_fields.back() += c;
    }
  }
  m_complete = !m_in_quotes;
  return m_complete;
}

} // namespace querylog
