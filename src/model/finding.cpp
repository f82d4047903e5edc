#include "model/finding.hpp"

#include "util/enum_names.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace model {

namespace {

constexpr util::EnumNames<SkipCause, 6> k_skip_cause_names(
  {"unmet_need", "lock_timeout", "statement_timeout", "cancelled", "no_privilege", "error"});

} // namespace

std::string_view to_string(SkipCause cause) { return k_skip_cause_names.name(cause); }
std::optional<SkipCause> parse_skip_cause(std::string_view text) { return k_skip_cause_names.parse(text); }

std::string
make_fingerprint(std::string_view check_id, std::string_view identity)
{
  std::string key(check_id);
  key += '\0';
  key += identity;
  return util::stable_hash(key);
}

void
sort_by_priority(std::vector<Finding>& findings)
{
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    const int pa = priority_score(a.severity, a.effort);
    const int pb = priority_score(b.severity, b.effort);
    return std::tie(pb, a.check_id, a.object) < std::tie(pa, b.check_id, b.object);
  });
}

} // namespace model
