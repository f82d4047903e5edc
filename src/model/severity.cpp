#include "model/severity.hpp"

#include "util/enum_names.hpp"
#include "util/text.hpp"

namespace model {

namespace {

constexpr util::EnumNames<Severity, 5> k_severity_names({"info", "low", "medium", "high", "critical"});
constexpr util::EnumNames<Effort, 3> k_effort_names({"low", "medium", "high"});

} // namespace

// Names read case-insensitively, blanks around them ignored (config files, query results).
std::string_view to_string(Severity severity) { return k_severity_names.name(severity); }
std::optional<Severity> parse_severity(std::string_view text) { return k_severity_names.parse(util::to_lower(util::trim(text))); }
std::string_view to_string(Effort effort) { return k_effort_names.name(effort); }
std::optional<Effort> parse_effort(std::string_view text) { return k_effort_names.parse(util::to_lower(util::trim(text))); }

int
priority_score(Severity severity, Effort effort)
{
  // Impact dominates; within one severity a low-effort fix comes first.
  return static_cast<int>(severity) * 10 + (2 - static_cast<int>(effort)) * 3;
}

} // namespace model
