#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace querylog {

// What the log_line_prefix of a stderr log line says, and where the message begins.
struct PrefixFields
{
  std::string_view timestamp; // %t, %m or %n; empty when the prefix has none
  std::optional<std::string_view> database; // %d; nullopt when the prefix has no %d
  std::size_t end = 0; // where the prefix ends (the severity begins)
};

// A server's log_line_prefix setting, compiled to match its lines: %m, %t and %n read a
// timestamp, %d the database, every other escape a value that runs up to the literal text after
// it; %q ends the prefix for lines of processes without a session; literal text must match.
class LinePrefix
{
public:
  // Compiles `setting` as postgresql.conf writes it ("%m [%p] %q%u@%d ").
  explicit LinePrefix(std::string_view setting);

  // The fields of `line`'s prefix when it matches and is followed by "SEVERITY:  ".
  std::optional<PrefixFields> match(std::string_view line) const;

  const std::string& setting() const { return m_setting; }

private:
  struct Token
  {
    char escape = 0; // 0: literal text
    std::string text;
  };
  bool match_from(std::string_view line, std::size_t token, std::size_t pos, PrefixFields& fields) const;

  std::string m_setting;
  std::vector<Token> m_tokens;
  bool m_has_database = false;
};

// The length of "SEVERITY:  " at the start of `text` (LOG, ERROR, DETAIL, STATEMENT...), or 0.
std::size_t severity_length(std::string_view text);

// The log_line_prefix settings tried on a stderr log when none is given: the default of each
// release since 10 and the forms pgBadger and the PostgreSQL wiki recommend.
const std::vector<std::string>& common_prefixes();

// The prefix (of common_prefixes()) that matches most of `sample_lines`, when it matches at least
// half of those that look like the first line of a message; nullopt otherwise.
std::optional<LinePrefix> detect_prefix(const std::vector<std::string>& sample_lines);

} // namespace querylog
