#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace util {

std::string_view
trim(std::string_view s)
{
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string>
split(std::string_view s, char sep)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    const auto part = trim(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
    if (!part.empty()) {
      parts.emplace_back(part);
    }
    if (pos == std::string_view::npos) {
      return parts;
    }
    start = pos + 1;
  }
}

std::string
to_lower(std::string_view s)
{
  std::string out(s);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string
to_upper(std::string_view s)
{
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  return out;
}

bool
starts_with_ci(std::string_view s, std::string_view prefix)
{
  return s.size() >= prefix.size() && to_lower(s.substr(0, prefix.size())) == to_lower(prefix);
}

bool
glob_match(std::string_view pattern, std::string_view text)
{
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

std::string
stable_hash(std::string_view data)
{
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash);
}

std::string
human_bytes(double bytes)
{
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 5) {
    bytes /= 1024.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} {}", bytes, units[unit])
                   : fmt::format("{:.1f} {}", bytes, units[unit]);
}

std::string
sql_literal(std::string_view text)
{
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

std::string
sql_comment(std::string_view text)
{
  std::string out = "-- ";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      out += "\n-- ";
    } else {
      out += c;
    }
  }
  return out;
}

std::size_t
line_of(std::string_view text, std::size_t pos)
{
  std::size_t line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
    }
  }
  return line;
}

std::string
printable(std::string_view s)
{
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::size_t
display_width(std::string_view s)
{
  std::size_t width = 0;
  for (const char c : s) {
    width += (static_cast<unsigned char>(c) & 0xc0) != 0x80; // not a continuation byte
  }
  return width;
}

std::string
fit_width(std::string_view s, std::size_t width)
{
  if (display_width(s) <= width) {
    return std::string(s);
  }
  constexpr std::string_view k_ellipsis = "...";
  if (width < k_ellipsis.size()) {
    return std::string(k_ellipsis.substr(0, width));
  }
  std::size_t end = 0;
  for (std::size_t columns = 0; end < s.size(); ++end) {
    if ((static_cast<unsigned char>(s[end]) & 0xc0) != 0x80 && columns++ == width - k_ellipsis.size()) {
      break;
    }
  }
  return fmt::format("{}{}", s.substr(0, end), k_ellipsis);
}

std::string
replace_chars(std::string_view text, std::span<const CharReplacement> table)
{
  std::array<std::string_view, 256> with{};
  std::array<bool, 256> replaced{};
  for (const auto& r : table) {
    const auto u = static_cast<unsigned char>(r.c);
    with[u] = r.with;
    replaced[u] = true;
  }
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (replaced[u]) {
      out += with[u];
    } else {
      out += c;
    }
  }
  return out;
}

std::string
pg_nullable_array_literal(const std::vector<std::optional<std::string>>& values)
{
  std::string out = "{";
  for (const auto& value : values) {
    out += out.size() > 1 ? "," : "";
    if (!value) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (const char c : *value) {
      if (c == '"' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string
pg_array_literal(const std::vector<std::string>& values)
{
  return pg_nullable_array_literal(std::vector<std::optional<std::string>>(values.begin(), values.end()));
}

} // namespace util
