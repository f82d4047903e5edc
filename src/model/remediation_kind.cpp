#include "model/remediation_kind.hpp"

#include "util/enum_names.hpp"

namespace model {

namespace {

constexpr util::EnumNames<RemediationKind, 3> k_kind_names({"none", "script", "advice"});

bool
is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

} // namespace

RemediationKind
remediation_kind(std::string_view remediation)
{
  bool any_line = false;
  std::size_t start = 0;
  while (start < remediation.size()) {
    const auto eol = remediation.find('\n', start);
    auto line = remediation.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
    start = eol == std::string_view::npos ? remediation.size() : eol + 1;
    while (!line.empty() && is_blank(line.front())) {
      line.remove_prefix(1);
    }
    if (line.empty()) {
      continue;
    }
    any_line = true;
    if (line.substr(0, 2) != "--") {
      return RemediationKind::script;
    }
  }
  return any_line ? RemediationKind::advice : RemediationKind::none;
}

std::string_view
to_string(RemediationKind kind)
{
  return k_kind_names.name(kind);
}

} // namespace model
