#pragma once

#include <optional>
#include <string_view>

namespace querylog {

// What a LOG message says about a statement the server ran.
struct StatementMessage
{
  enum class Kind {
    statement, // "statement: ..." (simple protocol)
    execute,   // "execute <name>: ..." (extended protocol; its $n come in a DETAIL, not kept)
    plan,      // "plan:\n..." (auto_explain)
  };
  Kind kind = Kind::statement;
  // "duration: N ms" before it (log_min_duration_statement, auto_explain); nullopt for a
  // statement logged by log_statement before it ran.
  std::optional<double> duration_ms;
  // The statement text (for `plan`, the plan as auto_explain wrote it).
  std::string_view text;
};

// The statement of LOG message `message`, or nullopt for any other message: a bare
// "duration: N ms" (its statement was logged before by log_statement), the parse and bind steps
// of the extended protocol (their execute step counts the call), and everything else.
std::optional<StatementMessage> parse_statement_message(std::string_view message);

} // namespace querylog
