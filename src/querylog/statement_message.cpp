#include "querylog/statement_message.hpp"

#include <charconv>

namespace querylog {

namespace {

bool
consume(std::string_view& text, std::string_view prefix)
{
  if (text.substr(0, prefix.size()) == prefix) {
    text.remove_prefix(prefix.size());
    return true;
  }
  return false;
}

} // namespace

std::optional<StatementMessage>
parse_statement_message(std::string_view message)
{
  StatementMessage m;
  if (consume(message, "duration: ")) {
    double ms = 0;
    const auto [end, ec] = std::from_chars(message.data(), message.data() + message.size(), ms);
    if (ec != std::errc()) {
      return std::nullopt;
    }
    message.remove_prefix(static_cast<std::size_t>(end - message.data()));
    if (!consume(message, " ms  ")) {
      return std::nullopt; // a bare duration, or one of another shape
    }
    m.duration_ms = ms;
  }
  if (consume(message, "statement: ")) {
    m.kind = StatementMessage::Kind::statement;
  } else if (consume(message, "execute ")) {
    // "execute <name>: ", "execute S_1/C_2: ", "execute fetch from S_1/C_2: "
    const auto colon = message.find(": ");
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    message.remove_prefix(colon + 2);
    m.kind = StatementMessage::Kind::execute;
  } else if (consume(message, "plan:")) {
    m.kind = StatementMessage::Kind::plan;
    while (!message.empty() && (message.front() == '\n' || message.front() == ' ')) {
      message.remove_prefix(1);
    }
  } else {
    return std::nullopt;
  }
  m.text = message;
  return m;
}

} // namespace querylog
