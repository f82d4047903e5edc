#pragma once

#include "model/finding.hpp"
#include "model/finding_fields.hpp"
#include "model/remediation_kind.hpp"
#include "model/snapshot.hpp"
#include "report/fields.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

namespace report {

// `finding` whole, read back from `words` when they are there (a snapshot the history read with
// its words and evidence in a spill), for as long as it is in scope: a card's fields for one
// visit (a visitor computes every field, views included, before fields() returns), a comparison.
class WholeFinding
{
public:
  WholeFinding(const model::Finding& finding, const model::FindingSpill* words)
    : m_read(words ? std::optional<model::Finding>(words->whole(finding)) : std::nullopt)
    , m_finding(m_read ? *m_read : finding)
  {
  }
  // A copy would refer to the other's read-back finding.
  WholeFinding(const WholeFinding&) = delete;
  WholeFinding& operator=(const WholeFinding&) = delete;

  const model::Finding& operator*() const { return m_finding; }
  const model::Finding* operator->() const { return &m_finding; }

private:
  std::optional<model::Finding> m_read;
  const model::Finding& m_finding;
};

// Visits each stored field of `finding` (model::k_finding_fields) as `f(json key, value)`,
// only those its one-line listing shows unless `all`; severity and effort by name.
template<typename Fields>
void
stored_fields(Fields& f, const model::Finding& finding, bool all = true)
{
  for (const auto& field : model::k_finding_fields) {
    if (!all && !field.listed) {
      continue;
    }
    std::visit(
      [&](auto member) {
        const auto& value = finding.*member;
        using Value = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<Value, model::Severity> || std::is_same_v<Value, model::Effort>) {
          f(field.json_key, model::to_string(value));
        } else {
          f(field.json_key, value);
        }
      },
      field.member);
  }
}

// The stored fields of `finding` as JSON (what `audit --format json` prints per finding).
nlohmann::json finding_fields_json(const model::Finding& finding);

// One evidence value as the report shows it: "size" -> "1.2 GB" for keys ending in _bytes.
struct EvidenceItem
{
  std::string label;
  std::string value;

  REPORT_DESCRIBE(label, value)
};

// The evidence of a finding made readable: label/value pairs, and the same on one line.
struct EvidenceView
{
  std::vector<EvidenceItem> items;
  std::string text;
};

EvidenceView evidence_view(const nlohmann::json& evidence);

// The sources of evidence a usage verdict rests on (evidence.rests_on), joined with "; "; empty
// for other findings. evidence_view leaves the key out: the report shows it as a line of its own.
std::string rests_on_text(const nlohmann::json& evidence);

// `value` of evidence `key` as the report shows it (sizes and percentages made readable).
std::string evidence_value(const std::string& key, const nlohmann::json& value);

// Findings of one severity.
struct SeverityCount
{
  model::Severity severity = model::Severity::info;
  std::int64_t count = 0;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("severity", model::to_string(severity));
    f("count", count);
    f("nonzero", count > 0);
  }
};

// Five entries, critical first.
std::vector<SeverityCount> severity_counts(const std::vector<model::Finding>& findings);
std::vector<SeverityCount> severity_counts(const std::vector<model::FindingHead>& findings);
// Of the findings at `positions` only (an entry's).
std::vector<SeverityCount> severity_counts(const std::vector<model::FindingHead>& findings,
                                           const std::vector<std::size_t>& positions);
std::vector<SeverityCount> severity_counts(const std::vector<model::FindingTotal>& totals);
std::vector<SeverityCount> severity_counts(const std::vector<const model::Finding*>& findings);

// "1 high, 5 medium": the nonzero counts, critical first; "" when all are zero.
std::string severity_counts_text(const std::vector<SeverityCount>& counts);

// A check without a result: failed, when it started and did not finish, as opposed to an
// unmet need.
struct SkippedView
{
  model::SkippedCheck check;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("check_id", check.check_id);
    f("reason", check.reason);
    f("cause", model::to_string(check.cause));
    f("failed", check.failed());
  }
};

std::vector<SkippedView> skipped_views(const std::vector<model::SkippedCheck>& skipped);

// The checks without a result in a snapshot, by id: their findings are "not checked" there.
std::unordered_map<std::string_view, const model::SkippedCheck*> not_run_checks(const model::Snapshot& snapshot);

// "2026-03-31" from epoch seconds.
std::string date_of(std::int64_t epoch);
// "2026-08-17 09:00 UTC"
std::string minute_of(std::int64_t epoch);

} // namespace report
