#include "audit/finding.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <tuple>

namespace audit {

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

} // namespace audit
