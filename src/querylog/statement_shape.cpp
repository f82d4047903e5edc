#include "querylog/statement_shape.hpp"

namespace querylog {

namespace {

bool
ident_start(char c)
{
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

bool
ident_char(char c)
{
  return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

bool
space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Appends "?" for a constant, folding "?, ?" into one "?".
void
put_constant(std::string& out)
{
  auto end = out.size();
  while (end > 0 && out[end - 1] == ' ') {
    --end;
  }
  if (end > 0 && out[end - 1] == ',') {
    auto before = end - 1;
    while (before > 0 && out[before - 1] == ' ') {
      --before;
    }
    if (before > 0 && out[before - 1] == '?') {
      out.resize(before);
      return;
    }
  }
  out += '?';
}

} // namespace

std::string
statement_shape(std::string_view sql, bool mask_constants)
{
  std::string out;
  out.reserve(sql.size());
  const auto n = sql.size();
  std::size_t i = 0;
  auto put_space = [&]() {
    if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  };
  while (i < n) {
    const char c = sql[i];
    if (space(c)) {
      put_space();
      ++i;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') {
        ++i;
      }
      put_space();
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;
      while (i < n) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          i += 2;
          if (--depth == 0) {
            break;
          }
        } else {
          ++i;
        }
      }
      put_space();
    } else if (c == '\'') {
      // E'...' takes backslash escapes; '' is a quote in both.
      const bool escapes = i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E') && (i < 2 || !ident_char(sql[i - 2]));
      const auto start = i++;
      while (i < n) {
        if (escapes && sql[i] == '\\' && i + 1 < n) {
          i += 2;
        } else if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
      if (mask_constants) {
        put_constant(out);
      } else {
        out.append(sql.substr(start, i - start));
      }
    } else if (c == '"') {
      const auto start = i++;
      while (i < n) {
        if (sql[i] == '"' && i + 1 < n && sql[i + 1] == '"') {
          i += 2;
        } else if (sql[i++] == '"') {
          break;
        }
      }
      out.append(sql.substr(start, i - start));
    } else if (c == '$' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      const auto start = i++;
      while (i < n && sql[i] >= '0' && sql[i] <= '9') {
        ++i;
      }
      if (mask_constants) {
        put_constant(out);
      } else {
        out.append(sql.substr(start, i - start));
      }
    } else if (c == '$' && (i + 1 < n && (sql[i + 1] == '$' || ident_start(sql[i + 1])))) {
      // $tag$ ... $tag$
      auto tag_end = i + 1;
      while (tag_end < n && sql[tag_end] != '$' && ident_char(sql[tag_end])) {
        ++tag_end;
      }
      if (tag_end >= n || sql[tag_end] != '$') {
        out += c;
        ++i;
        continue;
      }
      const auto tag = sql.substr(i, tag_end - i + 1);
      const auto close = sql.find(tag, tag_end + 1);
      const auto end = close == std::string_view::npos ? n : close + tag.size();
      if (mask_constants) {
        put_constant(out);
      } else {
        out.append(sql.substr(i, end - i));
      }
      i = end;
    } else if (ident_start(c)) {
      const auto start = i;
      while (i < n && ident_char(sql[i])) {
        ++i;
      }
      out.append(sql.substr(start, i - start));
    } else if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9')) {
      const auto start = i;
      while (i < n) {
        const char d = sql[i];
        if ((d >= '0' && d <= '9') || d == '.' || d == '_' || ident_start(d)) {
          ++i;
        } else if ((d == '+' || d == '-') && (sql[i - 1] == 'e' || sql[i - 1] == 'E')) {
          ++i;
        } else {
          break;
        }
      }
      if (mask_constants) {
        put_constant(out);
      } else {
        out.append(sql.substr(start, i - start));
      }
    } else {
      out += c;
      ++i;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) {
    out.pop_back();
  }
  return out;
}

} // namespace querylog
