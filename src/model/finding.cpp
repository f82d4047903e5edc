#include "model/finding.hpp"

#include "util/enum_names.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <numeric>
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
  // The positions are sorted, and each finding moved once: a Finding is a dozen strings and a
  // JSON value, and sorting them in place moved each about log2(n) times (tens of thousands of
  // findings: a tenth of a second).
  std::vector<std::size_t> order(findings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    const auto& a = findings[i];
    const auto& b = findings[j];
    const int pa = priority_score(a.severity, a.effort);
    const int pb = priority_score(b.severity, b.effort);
    return std::tie(pb, a.check_id, a.object) < std::tie(pa, b.check_id, b.object);
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (const auto i : order) {
    sorted.push_back(std::move(findings[i]));
  }
  findings = std::move(sorted);
}

} // namespace model
