#include "audit/query_fragments.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

namespace audit {

namespace {

constexpr std::string_view k_include = "-- include:";

// The fragment name of an include line, or empty when `line` is not one.
std::string_view
included_name(std::string_view line)
{
  const auto trimmed = util::trim(line);
  if (trimmed.substr(0, k_include.size()) != k_include) {
    return {};
  }
  return util::trim(trimmed.substr(k_include.size()));
}

} // namespace

void
QueryFragments::add(std::string name, std::string text, std::string source)
{
  std::size_t pos = 0;
  for (std::size_t line = 1; pos < text.size(); ++line) {
    const auto eol = text.find('\n', pos);
    if (!included_name(std::string_view(text).substr(pos, eol == std::string::npos ? std::string::npos : eol - pos)).empty()) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("{}:{}: a fragment includes no other; put the shared SQL in the queries", source, line));
    }
    pos = eol == std::string::npos ? text.size() : eol + 1;
  }
  // Without its trailing newline, so that the line it replaces keeps its own.
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  m_fragments[std::move(name)] = std::move(text);
}

std::string
QueryFragments::expand(std::string_view source, std::string_view text) const
{
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (std::size_t line = 1; pos < text.size(); ++line) {
    const auto eol = text.find('\n', pos);
    const auto end = eol == std::string_view::npos ? text.size() : eol + 1;
    const auto current = text.substr(pos, end - pos);
    const auto name = included_name(current);
    if (name.empty()) {
      out += current;
    } else {
      const auto it = m_fragments.find(name);
      if (it == m_fragments.end()) {
        throw util::Fatal(util::ExitCode::config,
                          fmt::format("{}:{}: no fragment \"{}\"; add queries/lib/{}.sql (or lib/{}.sql under --queries)",
                                      source, line, name, name, name));
      }
      out += it->second;
      if (eol != std::string_view::npos) {
        out += '\n';
      }
    }
    pos = end;
  }
  return out;
}

} // namespace audit
