#include "util/redact.hpp"

#include <cctype>

namespace util {

namespace {

constexpr std::string_view k_mask = "***";

bool
ends_value(char c)
{
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'';
}

// The password of the URL whose "://" is at `scheme_end`: [begin, end) of the text between the
// first ':' and the last '@' of its authority, if it has both.
std::pair<std::size_t, std::size_t>
url_password(std::string_view text, std::size_t scheme_end)
{
  const auto start = scheme_end + 3;
  auto stop = start;
  while (stop < text.size() && !ends_value(text[stop]) && text[stop] != '/' && text[stop] != '?'
         && text[stop] != '#') {
    ++stop;
  }
  const auto authority = text.substr(start, stop - start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return {0, 0};
  }
  const auto colon = authority.find(':');
  if (colon == std::string_view::npos || colon > at) {
    return {0, 0};
  }
  return {start + colon + 1, start + at};
}

// The value of the `password` keyword that starts at `keyword`: [begin, end), quoted or not.
std::pair<std::size_t, std::size_t>
keyword_password(std::string_view text, std::size_t keyword)
{
  auto i = keyword + std::string_view("password").size();
  while (i < text.size() && text[i] == ' ') {
    ++i;
  }
  if (i >= text.size() || text[i] != '=') {
    return {0, 0};
  }
  ++i;
  while (i < text.size() && text[i] == ' ') {
    ++i;
  }
  const auto begin = i;
  if (i < text.size() && text[i] == '\'') {
    ++i;
    while (i < text.size() && text[i] != '\'') {
      i += text[i] == '\\' ? 2 : 1;
    }
    return {begin, std::min(i + 1, text.size())};
  }
  while (i < text.size() && !ends_value(text[i]) && text[i] != '&') {
    ++i;
  }
  return {begin, i};
}

} // namespace

std::string
redact_passwords(std::string_view text)
{
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::pair<std::size_t, std::size_t> secret{0, 0};
    if (text.substr(i, 3) == "://") {
      secret = url_password(text, i);
    } else if ((i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))
               && (text.substr(i, 8) == "password" || text.substr(i, 8) == "PASSWORD")) {
      secret = keyword_password(text, i);
    }
    if (secret.second > secret.first) {
      out.append(text.substr(copied, secret.first - copied));
      out.append(k_mask);
      copied = secret.second;
      i = secret.second - 1;
    }
  }
  out.append(text.substr(copied));
  return out;
}

} // namespace util
