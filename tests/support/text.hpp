#pragma once

#include <cstddef>
#include <string>

namespace test {

// How many times `what` occurs in `text` (overlapping occurrences count).
inline std::size_t
count(const std::string& text, const std::string& what)
{
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
    ++n;
  }
  return n;
}

} // namespace test
