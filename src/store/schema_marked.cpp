#include "store/schema_marked.hpp"

namespace store {

namespace {

constexpr char k_escape = '\x01';
constexpr char k_schema = 's';

// Appends `text` to `out` with each escape byte doubled.
void
append_escaped(std::string& out, std::string_view text)
{
  for (std::size_t from = 0;;) {
    const auto at = text.find(k_escape, from);
    out.append(text.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) {
      return;
    }
    out += k_escape;
    out += k_escape;
    from = at + 1;
  }
}

} // namespace

std::string
mark_schema(std::string_view text, std::string_view schema)
{
  std::string out;
  out.reserve(text.size());
  std::size_t from = 0;
  while (!schema.empty()) {
    const auto at = text.find(schema, from);
    if (at == std::string_view::npos) {
      break;
    }
    append_escaped(out, text.substr(from, at - from));
    out += k_escape;
    out += k_schema;
    from = at + schema.size();
  }
  append_escaped(out, text.substr(from));
  return out;
}

std::string
unmark_schema(std::string_view marked, std::string_view schema)
{
  std::string out;
  out.reserve(marked.size() + schema.size() * 4);
  for (std::size_t from = 0;;) {
    const auto at = marked.find(k_escape, from);
    if (at == std::string_view::npos || at + 1 == marked.size()) {
      out.append(marked.substr(from));
      return out;
    }
    out.append(marked.substr(from, at - from));
    const char next = marked[at + 1];
    if (next == k_escape) {
      out += k_escape;
    } else if (next == k_schema) {
      out.append(schema);
    } else {
      out.append(marked.substr(at, 2));
    }
    from = at + 2;
  }
}

} // namespace store
