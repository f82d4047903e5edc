#include "model/snapshot.hpp"

#include "model/evidence.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

const FindingHead& deref(const FindingHead& f) { return f; }
const FindingHead& deref(const FindingHead* f) { return *f; }

template<typename Findings, typename Evidence>
std::vector<FindingTotal>
totals_of(const Findings& findings, Evidence evidence_of)
{
  // Keyed like the history's primary key (severity as stored: its name).
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, FindingTotal> groups;
  for (const auto& item : findings) {
    const FindingHead& f = deref(item);
    auto& total = groups[{f.category, to_string(f.severity), f.object_type}];
    if (total.findings == 0) {
      total.category = f.category;
      total.severity = f.severity;
      total.object_type = f.object_type;
    }
    ++total.findings;
    const auto& evidence = evidence_of(item);
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

} // namespace

std::vector<FindingTotal>
finding_totals(const std::vector<Finding>& findings)
{
  return totals_of(findings, [](const Finding& f) -> const nlohmann::json& { return f.evidence; });
}

std::vector<FindingTotal>
finding_totals(const std::vector<const FindingHead*>& findings, const FindingSpill& spill)
{
  // The evidence as the spill keeps it, parsed only when it holds a number the totals sum.
  return totals_of(findings, [&](const FindingHead* f) {
    auto text = spill.stored_evidence(*f);
    if (!text) {
      return spill.whole(*f).evidence;
    }
    if (text->find("\"size_bytes\"") == std::string::npos && text->find("\"bloat_bytes\"") == std::string::npos) {
      return nlohmann::json();
    }
    return nlohmann::json::parse(*text, nullptr, false);
  });
}

void
AuditResult::restore_suppressed()
{
  for (auto& s : suppressed) {
    findings.spill().restore(s.finding);
  }
}

std::optional<double>
evidence_number(const Snapshot& snapshot, const Finding& finding, std::string_view key)
{
  const auto text = snapshot.spill ? snapshot.spill->stored_evidence(finding) : std::nullopt;
  if (!text) {
    return evidence_number(finding.evidence, key);
  }
  if (text->find(fmt::format("\"{}\"", key)) == std::string::npos) {
    return std::nullopt;
  }
  return evidence_number(nlohmann::json::parse(*text, nullptr, false), key);
}

} // namespace model
