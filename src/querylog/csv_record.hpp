#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace querylog {

// One record of a csvlog file, put together from its lines: a quoted field may hold newlines
// (a multi-line statement), and "" inside quotes is one quote.
class CsvRecord
{
public:
  // Adds the next line of the file. True when the record is complete (its quotes closed):
  // `fields()` holds it until the next line is added to a new record.
  bool add_line(std::string_view line);

  const std::vector<std::string>& fields() const { return m_fields; }

  // Whether a record is begun and not complete.
  bool open() const { return m_in_quotes; }

  // Drops a record begun and not complete (a cut file, or one grown too long).
  void reset();

  std::size_t size() const { return m_size; }

private:
  std::vector<std::string> m_fields;
  bool m_in_quotes = false;
  bool m_complete = true;
  std::size_t m_size = 0;
};

} // namespace querylog
