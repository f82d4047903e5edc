#include "report/finding_view.hpp"

#include "report/fields.hpp"
#include "util/index_by.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace report {

namespace {

using nlohmann::json;

constexpr const char* k_rests_on = "rests_on";

std::string
evidence_label(const std::string& key)
{
  std::string label = key;
  // Only sizes lose their suffix: "bloat_bytes" and "bloat_pct" must stay distinct.
  if (label.size() > 6 && label.ends_with("_bytes")) {
    label.resize(label.size() - 6);
  }
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

// Most severe first.
std::vector<SeverityCount>
from_counts(const std::array<std::int64_t, 5>& counts)
{
  std::vector<SeverityCount> out;
  for (int s = static_cast<int>(model::Severity::critical); s >= 0; --s) {
    out.push_back(SeverityCount{static_cast<model::Severity>(s), counts[static_cast<std::size_t>(s)]});
  }
  return out;
}

} // namespace

// Evidence keys ending in _bytes read as sizes, _pct as percentages.
std::string
evidence_value(const std::string& key, const json& value)
{
  if (value.is_number() && key.size() > 6 && key.ends_with("_bytes")) {
    return util::human_bytes(value.get<double>());
  }
  if (value.is_number() && key.ends_with("_pct")) {
    return fmt::format("{:.1f}%", value.get<double>());
  }
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number_float()) {
    return fmt::format("{:.1f}", value.get<double>());
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "yes" : "no";
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string
rests_on_text(const json& evidence)
{
  std::string out;
  if (evidence.is_object() && evidence.contains(k_rests_on) && evidence[k_rests_on].is_array()) {
    for (const auto& source : evidence[k_rests_on]) {
      if (source.is_string()) {
        out += (out.empty() ? "" : "; ") + source.get<std::string>();
      }
    }
  }
  return out;
}

EvidenceView
evidence_view(const json& evidence)
{
  EvidenceView out;
  if (evidence.is_object()) {
    for (const auto& [key, value] : evidence.items()) {
      if (value.is_null() || key == k_rests_on) {
        continue; // nothing measured: no "constraint: null" chip; rests_on has a line of its own
      }
      auto item = EvidenceItem{evidence_label(key), evidence_value(key, value)};
      out.text += fmt::format("{}{}: {}", out.text.empty() ? "" : ", ", item.label, item.value);
      out.items.push_back(std::move(item));
    }
  } else if (!evidence.is_null()) {
    out.text = evidence_value("", evidence);
    out.items.push_back(EvidenceItem{"evidence", out.text});
  }
  return out;
}

json
finding_fields_json(const model::Finding& f)
{
  json out = json::object();
  auto write = [&](std::string_view key, const auto& value) { out[std::string(key)] = to_json(value); };
  stored_fields(write, f);
  // derived from the remediation's text, not stored: "advice" is comments only, nothing to run
  out["remediation_kind"] = std::string(model::to_string(model::remediation_kind(f.remediation)));
  return out;
}

std::vector<SkippedView>
skipped_views(const std::vector<model::SkippedCheck>& skipped)
{
  std::vector<SkippedView> out;
  for (const auto& s : skipped) {
    out.push_back(SkippedView{s});
  }
  return out;
}

std::unordered_map<std::string_view, const model::SkippedCheck*>
not_run_checks(const model::Snapshot& snapshot)
{
  return util::index_by(snapshot.skipped, &model::SkippedCheck::check_id);
}

std::string
date_of(std::int64_t epoch)
{
  return util::format_iso(epoch).substr(0, 10);
}

std::string
minute_of(std::int64_t epoch)
{
  const auto iso = util::format_iso(epoch); // 2026-08-17T09:00:00Z
  return fmt::format("{} {} UTC", iso.substr(0, 10), iso.substr(11, 5));
}

// The counts of `items` by the severity `severity_of` gives each.
template<typename Range, typename SeverityOf>
std::vector<SeverityCount>
severity_counts_by(const Range& items, SeverityOf severity_of)
{
  std::array<std::int64_t, 5> counts{};
  for (const auto& item : items) {
    ++counts[static_cast<std::size_t>(severity_of(item))];
  }
  return from_counts(counts);
}

std::vector<SeverityCount>
severity_counts(const std::vector<model::Finding>& findings)
{
  return severity_counts_by(findings, [](const model::Finding& f) { return f.severity; });
}

std::vector<SeverityCount>
severity_counts(const std::vector<model::FindingHead>& findings)
{
  return severity_counts_by(findings, [](const model::FindingHead& f) { return f.severity; });
}

std::vector<SeverityCount>
severity_counts(const std::vector<model::FindingHead>& findings, const std::vector<std::size_t>& positions)
{
  return severity_counts_by(positions, [&](std::size_t at) { return findings[at].severity; });
}

std::vector<SeverityCount>
severity_counts(const std::vector<const model::Finding*>& findings)
{
  return severity_counts_by(findings, [](const model::Finding* f) { return f->severity; });
}

std::string
severity_counts_text(const std::vector<SeverityCount>& counts)
{
  std::string text;
  for (const auto& c : counts) {
    if (c.count > 0) {
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", c.count, model::to_string(c.severity));
    }
  }
  return text;
}

std::vector<SeverityCount>
severity_counts(const std::vector<model::FindingTotal>& totals)
{
  std::array<std::int64_t, 5> counts{};
  for (const auto& t : totals) {
    counts[static_cast<std::size_t>(t.severity)] += t.findings;
  }
  return from_counts(counts);
}

} // namespace report
