#include "model/severity.hpp"

#include "util/text.hpp"

#include <array>

namespace model {

namespace {

constexpr std::array<std::string_view, 5> k_severity_names = {"info", "low", "medium", "high",
                                                              "critical"};
constexpr std::array<std::string_view, 3> k_effort_names = {"low", "medium", "high"};

} // namespace

std::string_view
to_string(Severity severity)
{
  return k_severity_names.at(static_cast<std::size_t>(severity));
}

std::optional<Severity>
parse_severity(std::string_view text)
{
  const auto lower = util::to_lower(util::trim(text));
  for (std::size_t i = 0; i < k_severity_names.size(); ++i) {
    if (lower == k_severity_names[i]) {
      return static_cast<Severity>(i);
    }
  }
  return std::nullopt;
}

std::string_view
to_string(Effort effort)
{
  return k_effort_names.at(static_cast<std::size_t>(effort));
}

std::optional<Effort>
parse_effort(std::string_view text)
{
  const auto lower = util::to_lower(util::trim(text));
  for (std::size_t i = 0; i < k_effort_names.size(); ++i) {
    if (lower == k_effort_names[i]) {
      return static_cast<Effort>(i);
    }
  }
  return std::nullopt;
}

int
priority_score(Severity severity, Effort effort)
{
  // Impact dominates; within one severity a low-effort fix comes first.
  return static_cast<int>(severity) * 10 + (2 - static_cast<int>(effort)) * 3;
}

} // namespace model
