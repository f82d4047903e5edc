#include "querylog/timestamp.hpp"

#include <charconv>
#include <cstdint>

namespace querylog {

namespace {

bool
digits(std::string_view text, std::size_t pos, std::size_t count)
{
  if (text.size() < pos + count) {
    return false;
  }
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

int
number(std::string_view text, std::size_t pos, std::size_t count)
{
  int n = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

// The length of "YYYY-MM-DD HH:MM:SS" with an optional ".fff", or 0.
std::size_t
datetime_length(std::string_view t)
{
  if (!(digits(t, 0, 4) && t[4] == '-' && digits(t, 5, 2) && t[7] == '-' && digits(t, 8, 2)
        && (t[10] == ' ' || t[10] == 'T') && digits(t, 11, 2) && t[13] == ':' && digits(t, 14, 2) && t[16] == ':'
        && digits(t, 17, 2))) {
    return 0;
  }
  std::size_t n = 19;
  if (n < t.size() && t[n] == '.') {
    ++n;
    while (n < t.size() && t[n] >= '0' && t[n] <= '9') {
      ++n;
    }
  }
  return n;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t
days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

} // namespace

std::size_t
timestamp_length(std::string_view text)
{
  auto n = datetime_length(text);
  if (n == 0) {
    return 0;
  }
  // The zone: " UTC", " CET", " +03", or nothing before the next field.
  if (n + 1 < text.size() && text[n] == ' ' && text[n + 1] != ' ' && text[n + 1] != '[') {
    auto end = n + 1;
    while (end < text.size() && text[end] != ' ' && text[end] != ']' && text[end] != ',') {
      ++end;
    }
    const auto zone = text.substr(n + 1, end - n - 1);
    const bool zone_like = !zone.empty() && zone.size() <= 6
                           && (zone[0] == '+' || zone[0] == '-' || (zone[0] >= 'A' && zone[0] <= 'Z'));
    if (zone_like) {
      n = end;
    }
  }
  return n;
}

std::optional<double>
timestamp_epoch(std::string_view t)
{
  if (const auto n = datetime_length(t); n > 0) {
    const auto days = days_from_civil(number(t, 0, 4), number(t, 5, 2), number(t, 8, 2));
    double seconds = static_cast<double>(days * 86400 + number(t, 11, 2) * 3600 + number(t, 14, 2) * 60 + number(t, 17, 2));
    if (n > 20) {
      double fraction = 0;
      std::from_chars(t.data() + 19, t.data() + n, fraction); // ".123" -> 0.123
      seconds += fraction;
    }
    return seconds;
  }
  double epoch = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), epoch);
  if (ec == std::errc() && end != t.data() && epoch > 1e8) {
    return epoch;
  }
  return std::nullopt;
}

} // namespace querylog
