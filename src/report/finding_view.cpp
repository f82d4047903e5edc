#include "report/finding_view.hpp"

#include "model/finding_fields.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace report {

namespace {

using nlohmann::json;

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

} // namespace

json
skipped_json(const model::SkippedCheck& skipped)
{
  return json{{"check_id", skipped.check_id},
              {"reason", skipped.reason},
              {"cause", model::to_string(skipped.cause)},
              {"failed", skipped.failed()}};
}

std::unordered_map<std::string_view, const model::SkippedCheck*>
not_run_checks(const model::Snapshot& snapshot)
{
  std::unordered_map<std::string_view, const model::SkippedCheck*> out;
  for (const auto& s : snapshot.skipped) {
    out.emplace(s.check_id, &s);
  }
  return out;
}

std::string
date_of(std::int64_t epoch)
{
  return util::format_iso(epoch).substr(0, 10);
}

json
finding_listing_json(const model::Finding& f)
{
  json out = json::object();
  for (const auto& field : model::k_finding_fields) {
    if (field.listed) {
      out[std::string(field.json_key)] = model::json_value(f, field);
    }
  }
  return out;
}

json
finding_fields_json(const model::Finding& f)
{
  json out = json::object();
  for (const auto& field : model::k_finding_fields) {
    out[std::string(field.json_key)] = model::json_value(f, field);
  }
  return out;
}

json
finding_json(const model::Finding& f)
{
  json items = json::array();
  std::string text;
  if (f.evidence.is_object()) {
    for (const auto& [key, value] : f.evidence.items()) {
      auto shown = evidence_value(key, value);
      auto label = evidence_label(key);
      text += fmt::format("{}{}: {}", text.empty() ? "" : ", ", label, shown);
      json item = json::object();
      item["label"] = std::move(label);
      item["value"] = std::move(shown);
      items.push_back(std::move(item));
    }
  } else if (!f.evidence.is_null()) {
    text = evidence_value("", f.evidence);
    items.push_back(json{{"label", "evidence"}, {"value", text}});
  }
  auto out = finding_fields_json(f);
  out["has_evidence"] = !items.empty();
  out["evidence_items"] = std::move(items);
  out["evidence_text"] = std::move(text);
  out["has_remediation"] = !f.remediation.empty();
  out["has_undo"] = !f.undo.empty();
  return out;
}

namespace {

// Most severe first.
json
severity_counts_json(const std::array<std::int64_t, 5>& counts)
{
  json out = json::array();
  for (int s = static_cast<int>(model::Severity::critical); s >= 0; --s) {
    out.push_back(json{{"severity", model::to_string(static_cast<model::Severity>(s))},
                       {"count", counts[static_cast<std::size_t>(s)]},
                       {"nonzero", counts[static_cast<std::size_t>(s)] > 0}});
  }
  return out;
}

} // namespace

json
severity_counts(const std::vector<model::Finding>& findings)
{
  std::array<std::int64_t, 5> counts{};
  for (const auto& f : findings) {
    ++counts[static_cast<std::size_t>(f.severity)];
  }
  return severity_counts_json(counts);
}

json
severity_counts(const std::vector<model::FindingTotal>& totals)
{
  std::array<std::int64_t, 5> counts{};
  for (const auto& t : totals) {
    counts[static_cast<std::size_t>(t.severity)] += t.findings;
  }
  return severity_counts_json(counts);
}

} // namespace report
