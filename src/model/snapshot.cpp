#include "model/snapshot.hpp"

#include "model/evidence.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <initializer_list>
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

// The evidence of `finding` as `spill` keeps it, parsed only when its text names one of `keys`
// (an empty value otherwise: it holds none of them); nullopt when the finding is not spilled.
std::optional<nlohmann::json>
spilled_evidence_naming(const FindingSpill& spill, const FindingHead& finding, std::initializer_list<std::string_view> keys)
{
  const auto text = spill.stored_evidence(finding);
  if (!text) {
    return std::nullopt;
  }
  for (const auto key : keys) {
    if (text->find(fmt::format("\"{}\"", key)) != std::string::npos) {
      return nlohmann::json::parse(*text, nullptr, false);
    }
  }
  return nlohmann::json();
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
  return totals_of(findings, [&](const FindingHead* f) {
    auto evidence = spilled_evidence_naming(spill, *f, {"size_bytes", "bloat_bytes"});
    return evidence ? std::move(*evidence) : spill.whole(*f).evidence;
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
  const auto evidence = snapshot.spill ? spilled_evidence_naming(*snapshot.spill, finding, {key}) : std::nullopt;
  return evidence_number(evidence ? *evidence : finding.evidence, key);
}

} // namespace model
