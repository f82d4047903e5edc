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

std::string
unquoted_part(std::string_view part)
{
  if (part.size() < 2 || part.front() != '"') {
    return std::string(part);
  }
  std::string out;
  for (std::size_t i = 1; i + 1 < part.size(); ++i) {
    out += part[i];
    if (part[i] == '"') {
      ++i; // "" is one quote
    }
  }
  return out;
}

} // namespace util
