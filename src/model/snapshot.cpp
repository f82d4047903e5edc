#include "model/snapshot.hpp"

#include "model/evidence.hpp"

#include <map>
#include <optional>
#include <tuple>

namespace model {

namespace {

void
add_number(std::optional<double>& sum, const nlohmann::json& evidence, const char* key)
{
  if (const auto value = evidence_number(evidence, key)) {
    sum = sum.value_or(0) + *value;
  }
}

} // namespace

std::vector<FindingTotal>
finding_totals(const std::vector<Finding>& findings, const FindingSpill* spill)
{
  // Keyed like the history's primary key (severity as stored: its name).
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, FindingTotal> groups;
  for (const auto& f : findings) {
    auto& total = groups[{f.category, to_string(f.severity), f.object_type}];
    if (total.findings == 0) {
      total.category = f.category;
      total.severity = f.severity;
      total.object_type = f.object_type;
    }
    ++total.findings;
    std::optional<Finding> read_back;
    if (spill && f.spilled_at >= 0) {
      read_back = spill->whole(f);
    }
    const auto& evidence = read_back ? read_back->evidence : f.evidence;
    add_number(total.size_bytes, evidence, "size_bytes");
    add_number(total.bloat_bytes, evidence, "bloat_bytes");
  }
  std::vector<FindingTotal> out;
  out.reserve(groups.size());
  for (auto& [key, total] : groups) {
    out.push_back(std::move(total));
  }
  return out;
}

void
AuditResult::restore_spilled()
{
  if (!spill) {
    return;
  }
  for (auto& f : findings) {
    spill->restore(f);
  }
  for (auto& s : suppressed) {
    spill->restore(s.finding);
  }
}

} // namespace model
