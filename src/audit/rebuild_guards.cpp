#include "audit/rebuild_guards.hpp"

#include "util/text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <optional>

namespace audit {

namespace {

constexpr std::string_view k_builds[] = {"create index concurrently if not exists ",
                                         "create unique index concurrently if not exists "};

// The SQL identifier (bare, or double-quoted with "" inside) at the start of `s`, as written.
std::optional<std::string_view>
identifier_at(std::string_view s)
{
  if (!s.empty() && s[0] == '"') {
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i] == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          ++i;
          continue;
        }
        return s.substr(0, i + 1);
      }
    }
    return std::nullopt;
  }
  std::size_t n = 0;
  while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_' || s[n] == '$' ||
                          static_cast<unsigned char>(s[n]) >= 0x80)) {
    ++n;
  }
  if (n == 0 || std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '$') {
    return std::nullopt;
  }
  return s.substr(0, n);
}

// "schema.name" of the index `line` builds, as written (quoted where needed), if it is one.
std::optional<std::string>
rebuilt_index(std::string_view line)
{
  for (const auto prefix : k_builds) {
    if (!line.starts_with(prefix)) {
      continue;
    }
    auto rest = line.substr(prefix.size());
    const auto name = identifier_at(rest);
    if (!name) {
      return std::nullopt;
    }
    rest.remove_prefix(name->size());
    // pg_get_indexdef writes ON and ONLY in capitals
    if (!util::starts_with_ci(rest, " on ")) {
      return std::nullopt;
    }
    rest.remove_prefix(4);
    if (util::starts_with_ci(rest, "only ")) {
      rest.remove_prefix(5);
    }
    const auto schema = identifier_at(rest);
    if (!schema || rest.substr(schema->size()).substr(0, 1) != ".") {
      return std::nullopt; // the table's schema, where the index lives, is not written
    }
    return fmt::format("{}.{}", *schema, *name);
  }
  return std::nullopt;
}

} // namespace

std::string
guard_index_rebuilds(std::string_view undo)
{
  if (undo.find(" concurrently if not exists ") == std::string_view::npos) {
    return std::string(undo);
  }
  std::string out;
  out.reserve(undo.size() + 400);
  std::size_t start = 0;
  while (start < undo.size()) {
    const auto end = undo.find('\n', start);
    const auto line = undo.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (const auto index = rebuilt_index(line)) {
      out += fmt::format(
        "-- a cancelled build leaves the index invalid, and \"if not exists\" would keep it so: such a leftover goes first\n"
        "do $$\nbegin\n"
        "  if exists (select from pg_catalog.pg_index where indexrelid = pg_catalog.to_regclass({1}) and not indisvalid) then\n"
        "    drop index {0};\n"
        "  end if;\nend $$;\n",
        *index, util::sql_literal(*index));
    }
    out += line;
    if (end == std::string_view::npos) {
      break;
    }
    out += '\n';
    start = end + 1;
  }
  return out;
}

} // namespace audit
