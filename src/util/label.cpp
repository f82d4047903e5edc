#include "util/label.hpp"

namespace util {

std::vector<std::string_view>
label_parts(std::string_view label)
{
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < label.size(); ++i) {
    // "" inside quotes is an escaped quote: it toggles twice and leaves the state as it was
    if (label[i] == '"') {
      quoted = !quoted;
    } else if (label[i] == '.' && !quoted) {
      parts.push_back(label.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(label.substr(start));
  return parts;
}

} // namespace util
