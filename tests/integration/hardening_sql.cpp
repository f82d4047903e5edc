#include "integration/hardening_sql.hpp"

#include <cctype>

namespace test {

namespace {

struct Token
{
  enum class Kind { word, quoted_identifier, literal, comment, semicolon, other };
  Kind kind;
  std::string text; // identifiers unquoted; other kinds as in the source
};

bool
word_char(char c)
{
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

std::vector<Token>
lex(const std::string& sql)
{
  std::vector<Token> out;
  std::size_t i = 0;
  const auto n = sql.size();
  while (i < n) {
    const char c = sql[i];
    const auto start = i;
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') {
        ++i;
      }
      out.push_back({Token::Kind::comment, sql.substr(start, i - start)});
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      const auto end = sql.find("*/", i + 2);
      i = end == std::string::npos ? n : end + 2;
      out.push_back({Token::Kind::comment, sql.substr(start, i - start)});
    } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql[i + 1] == '\''
                              && (i == 0 || !word_char(sql[i - 1])))) {
      const bool backslash = c != '\'';
      i += backslash ? 2 : 1;
      while (i < n) {
        if (backslash && sql[i] == '\\') {
          i += 2;
        } else if (sql[i] == '\'' && i + 1 < n && sql[i + 1] == '\'') {
          i += 2;
        } else if (sql[i] == '\'') {
          ++i;
          break;
        } else {
          ++i;
        }
      }
      out.push_back({Token::Kind::literal, sql.substr(start, i - start)});
    } else if (c == '"') {
      std::string name;
      ++i;
      while (i < n) {
        if (sql[i] == '"' && i + 1 < n && sql[i + 1] == '"') {
          name += '"';
          i += 2;
        } else if (sql[i] == '"') {
          ++i;
          break;
        } else {
          name += sql[i++];
        }
      }
      out.push_back({Token::Kind::quoted_identifier, name});
    } else if (c == '$' && (i == 0 || !word_char(sql[i - 1]))) {
      // $tag$ ... $tag$ (a bare $1 parameter is a word)
      auto tag_end = i + 1;
      while (tag_end < n && (std::isalnum(static_cast<unsigned char>(sql[tag_end])) || sql[tag_end] == '_')) {
        ++tag_end;
      }
      if (tag_end < n && sql[tag_end] == '$' && !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
        const auto tag = sql.substr(i, tag_end - i + 1);
        const auto end = sql.find(tag, tag_end + 1);
        i = end == std::string::npos ? n : end + tag.size();
        out.push_back({Token::Kind::literal, sql.substr(start, i - start)});
      } else {
        i = tag_end;
        out.push_back({Token::Kind::word, sql.substr(start, i - start)});
      }
    } else if (word_char(c)) {
      while (i < n && word_char(sql[i])) {
        ++i;
      }
      std::string word = sql.substr(start, i - start);
      for (auto& ch : word) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      out.push_back({Token::Kind::word, word});
    } else if (c == ';') {
      ++i;
      out.push_back({Token::Kind::semicolon, ";"});
    } else {
      ++i;
      out.push_back({Token::Kind::other, std::string(1, c)});
    }
  }
  return out;
}

std::string
trimmed(const std::string& s)
{
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) {
    return {};
  }
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

} // namespace

std::vector<std::string>
split_statements(const std::string& sql)
{
  std::vector<std::string> out;
  std::size_t pos = 0;
  std::size_t start = 0;
  // Re-lex to find the offsets of the semicolons that end statements.
  for (const auto& t : lex(sql)) {
    switch (t.kind) {
    case Token::Kind::quoted_identifier: {
      // Unquoted text differs from the source; find the closing quote in the source instead.
      ++pos;
      while (pos < sql.size()) {
        if (sql[pos] == '"' && pos + 1 < sql.size() && sql[pos + 1] == '"') {
          pos += 2;
        } else if (sql[pos++] == '"') {
          break;
        }
      }
      break;
    }
    case Token::Kind::semicolon: {
      ++pos;
      auto statement = trimmed(sql.substr(start, pos - start - 1));
      if (!statement.empty()) {
        out.push_back(statement);
      }
      start = pos;
      break;
    }
    default:
      pos += t.text.size();
    }
  }
  auto last = trimmed(sql.substr(std::min(start, sql.size())));
  bool only_comments = true;
  for (const auto& t : lex(last)) {
    only_comments = only_comments && t.kind == Token::Kind::comment;
  }
  if (!last.empty() && !only_comments) {
    out.push_back(last);
  }
  return out;
}

std::string
code_only(const std::string& sql)
{
  std::string out;
  for (const auto& t : lex(sql)) {
    switch (t.kind) {
    case Token::Kind::literal:
      out += "''";
      break;
    case Token::Kind::quoted_identifier:
      out += "\"\"";
      break;
    case Token::Kind::comment:
      out += ' ';
      break;
    case Token::Kind::word:
      if (!out.empty() && word_char(out.back())) {
        out += ' ';
      }
      out += t.text;
      break;
    default:
      out += t.text;
    }
  }
  return out;
}

std::set<std::string>
identifiers(const std::string& sql)
{
  std::set<std::string> out;
  for (const auto& t : lex(sql)) {
    if (t.kind == Token::Kind::word || t.kind == Token::Kind::quoted_identifier) {
      out.insert(t.text);
    } else if (t.kind == Token::Kind::literal && t.text.size() > 1 && t.text[0] == '$') {
      // a dollar-quoted body (a DO block's guard and the statement it runs) is code too
      const auto tag_size = t.text.find('$', 1) + 1;
      if (tag_size > 1 && t.text.size() >= 2 * tag_size) {
        const auto inner = identifiers(t.text.substr(tag_size, t.text.size() - 2 * tag_size));
        out.insert(inner.begin(), inner.end());
      }
    }
  }
  return out;
}

} // namespace test
