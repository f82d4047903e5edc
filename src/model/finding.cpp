#include "model/finding.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace model {

namespace {

constexpr std::array<std::string_view, 6> k_skip_cause_names = {
  "unmet_need", "lock_timeout", "statement_timeout", "cancelled", "no_privilege", "error"};

} // namespace

std::string_view
to_string(SkipCause cause)
{
  return k_skip_cause_names.at(static_cast<std::size_t>(cause));
}

std::optional<SkipCause>
parse_skip_cause(std::string_view text)
{
  const auto found = std::find(k_skip_cause_names.begin(), k_skip_cause_names.end(), text);
  if (found == k_skip_cause_names.end()) {
    return std::nullopt;
  }
  return static_cast<SkipCause>(found - k_skip_cause_names.begin());
}

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
