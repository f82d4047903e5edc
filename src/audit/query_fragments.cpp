#include "audit/query_fragments.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

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

// Calls `visit(line_number, line)` for each line of `text`, the line with its newline if it has one.
template<typename Visit>
void
each_line(std::string_view text, Visit&& visit)
{
  std::size_t pos = 0;
  for (std::size_t number = 1; pos < text.size(); ++number) {
    const auto eol = text.find('\n', pos);
    const auto end = eol == std::string_view::npos ? text.size() : eol + 1;
    visit(number, text.substr(pos, end - pos));
    pos = end;
  }
}

} // namespace

void
QueryFragments::add(std::string name, std::string text, std::string source)
{
  // Without its trailing newline, so that the line it replaces keeps its own.
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  m_fragments[std::move(name)] = Fragment{std::move(text), std::move(source)};
}

std::string
QueryFragments::expand(std::string_view source, std::string_view text) const
{
  std::string out;
  out.reserve(text.size());
  std::vector<std::string_view> open;
  expand_into(out, source, text, open);
  return out;
}

void
QueryFragments::expand_into(std::string& out,
                            std::string_view source,
                            std::string_view text,
                            std::vector<std::string_view>& open) const
{
  each_line(text, [&](std::size_t number, std::string_view line) {
    const auto name = included_name(line);
    if (name.empty()) {
      out += line;
      return;
    }
    const auto it = m_fragments.find(name);
    if (it == m_fragments.end()) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("{}:{}: no fragment \"{}\"; add queries/lib/{}.sql (or lib/{}.sql under --queries)",
                                    source, number, name, name, name));
    }
    if (std::find(open.begin(), open.end(), it->first) != open.end()) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("{}:{}: fragment \"{}\" includes itself (through {}); remove the include",
                                    source, number, name, fmt::join(open, " -> ")));
    }
    open.push_back(it->first);
    expand_into(out, it->second.source, it->second.text, open);
    open.pop_back();
    if (line.ends_with('\n')) {
      out += '\n';
    }
  });
}

} // namespace audit
