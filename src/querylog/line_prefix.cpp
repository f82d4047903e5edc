#include "querylog/line_prefix.hpp"

#include "querylog/timestamp.hpp"

#include <array>

namespace querylog {

namespace {

constexpr std::array<std::string_view, 19> k_severities = {
  "LOG",   "ERROR",  "DETAIL",  "STATEMENT", "HINT",   "CONTEXT", "WARNING", "FATAL",  "PANIC", "NOTICE",
  "INFO",  "QUERY",  "LOCATION", "DEBUG1",   "DEBUG2", "DEBUG3",  "DEBUG4",  "DEBUG5", "DEBUG"};

// The length of a %n epoch ("1764706501.123") at the start of `text`, or 0.
std::size_t
epoch_length(std::string_view text)
{
  std::size_t n = 0;
  while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.')) {
    ++n;
  }
  return n >= 10 ? n : 0;
}

} // namespace

std::size_t
severity_length(std::string_view text)
{
  for (const auto s : k_severities) {
    if (text.size() >= s.size() + 3 && text.compare(0, s.size(), s) == 0 && text[s.size()] == ':'
        && text[s.size() + 1] == ' ' && text[s.size() + 2] == ' ') {
      return s.size() + 3;
    }
  }
  return 0;
}

LinePrefix::LinePrefix(std::string_view setting)
  : m_setting(setting)
{
  for (std::size_t i = 0; i < setting.size(); ++i) {
    if (setting[i] == '%' && i + 1 < setting.size()) {
      ++i;
      while (i + 1 < setting.size() && (setting[i] == '-' || (setting[i] >= '0' && setting[i] <= '9'))) {
        ++i; // padding: %-10u
      }
      if (setting[i] == '%') {
        if (m_tokens.empty() || m_tokens.back().escape != 0) {
          m_tokens.push_back(Token{});
        }
        m_tokens.back().text += '%';
        continue;
      }
      m_tokens.push_back(Token{setting[i], {}});
      m_has_database = m_has_database || setting[i] == 'd';
    } else {
      if (m_tokens.empty() || m_tokens.back().escape != 0) {
        m_tokens.push_back(Token{});
      }
      m_tokens.back().text += setting[i];
    }
  }
}

bool
LinePrefix::match_from(std::string_view line, std::size_t token, std::size_t pos, PrefixFields& fields) const
{
  for (; token < m_tokens.size(); ++token) {
    const auto& t = m_tokens[token];
    if (t.escape == 0) {
      if (line.compare(pos, t.text.size(), t.text) != 0) {
        return false;
      }
      pos += t.text.size();
      continue;
    }
    if (t.escape == 'q') {
      // Lines of processes without a session end the prefix here.
      PrefixFields rest = fields;
      if (match_from(line, token + 1, pos, rest)) {
        fields = rest;
        return true;
      }
      if (severity_length(line.substr(pos)) > 0) {
        fields.end = pos;
        return true;
      }
      return false;
    }
    const auto rest = line.substr(pos);
    std::size_t length = 0;
    if (t.escape == 'm' || t.escape == 't') {
      length = timestamp_length(rest);
      if (length == 0) {
        return false;
      }
      fields.timestamp = rest.substr(0, length);
    } else if (t.escape == 'n') {
      length = epoch_length(rest);
      if (length == 0) {
        return false;
      }
      fields.timestamp = rest.substr(0, length);
    } else {
      // Up to the literal text after it (its first character), else up to a space.
      const char stop = token + 1 < m_tokens.size() && m_tokens[token + 1].escape == 0 ? m_tokens[token + 1].text[0] : ' ';
      const auto end = rest.find(stop);
      if (end == std::string_view::npos) {
        return false;
      }
      length = end;
      if (t.escape == 'd') {
        fields.database = rest.substr(0, length);
      }
    }
    pos += length;
  }
  if (severity_length(line.substr(pos)) == 0) {
    return false;
  }
  fields.end = pos;
  return true;
}

std::optional<PrefixFields>
LinePrefix::match(std::string_view line) const
{
  PrefixFields fields;
  if (m_has_database) {
    fields.database = std::string_view();
  }
  if (!match_from(line, 0, 0, fields)) {
    return std::nullopt;
  }
  return fields;
}

const std::vector<std::string>&
common_prefixes()
{
  static const std::vector<std::string> prefixes = {
    "%m [%p] ",                                          // the default since PostgreSQL 10
    "%m [%p] %q%u@%d ",                                  // Debian's and the docs' example
    "%t [%p] %q%u@%d ",
    "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",   // pgBadger's recommendation
    "%t [%p]: [%l-1] user=%u,db=%d ",
    "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
    "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
    "%t [%p-%l] %q%u@%d ",
    "%m [%p-%l] %q%u@%d ",
    "%m [%p] %q[user=%u,db=%d,app=%a] ",
    "%m %u@%d [%p] ",
    "%t [%p] ",
    "%t ",
    "%m ",
  };
  return prefixes;
}

std::optional<LinePrefix>
detect_prefix(const std::vector<std::string>& sample_lines)
{
  std::size_t candidates = 0;
  for (const auto& line : sample_lines) {
    candidates += !line.empty() && line[0] != '\t';
  }
  std::optional<LinePrefix> best;
  std::size_t best_score = 0;
  for (const auto& setting : common_prefixes()) {
    LinePrefix prefix(setting);
    std::size_t score = 0;
    for (const auto& line : sample_lines) {
      score += prefix.match(line).has_value();
    }
    // The first of equal scores: the list goes from the most specific form to the least.
    if (score > best_score) {
      best_score = score;
      best = std::move(prefix);
    }
  }
  if (!best || best_score * 2 < candidates) {
    return std::nullopt;
  }
  return best;
}

} // namespace querylog
