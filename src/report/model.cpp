#include "report/model.hpp"

#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace report {

namespace {

using nlohmann::json;

constexpr double k_seconds_per_day = 86400.0;
constexpr double k_days_per_quarter = 91.3;

// "size: 1.2 MB, scans: 0" from the evidence object; keys ending in _bytes read as sizes.
std::string
evidence_text(const json& evidence)
{
  std::string out;
  if (!evidence.is_object()) {
    return evidence.is_string() ? evidence.get<std::string>() : evidence.dump();
  }
  for (const auto& [key, value] : evidence.items()) {
    std::string label = key;
    std::string shown;
    if (key.size() > 6 && key.ends_with("_bytes") && value.is_number()) {
      label = key.substr(0, key.size() - 6);
      shown = util::human_bytes(value.get<double>());
    } else if (value.is_string()) {
      shown = value.get<std::string>();
    } else if (value.is_number_float()) {
      shown = fmt::format("{:.1f}", value.get<double>());
    } else {
      shown = value.dump();
    }
    std::replace(label.begin(), label.end(), '_', ' ');
    out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", label, shown);
  }
  return out;
}

json
finding_json(const audit::Finding& f)
{
  return json{{"fingerprint", f.fingerprint},
              {"check_id", f.check_id},
              {"category", f.category},
              {"severity", audit::to_string(f.severity)},
              {"effort", audit::to_string(f.effort)},
              {"schema", f.schema_name},
              {"object", f.object},
              {"object_type", f.object_type},
              {"message", f.message},
              {"evidence", f.evidence},
              {"evidence_text", evidence_text(f.evidence)},
              {"remediation", f.remediation},
              {"has_remediation", !f.remediation.empty()}};
}

json
counts_json(const std::map<std::string, int>& counts, std::string_view key_name)
{
  json out = json::array();
  for (const auto& [key, count] : counts) {
    out.push_back(json{{key_name, key}, {"count", count}});
  }
  return out;
}

json
severity_counts(const std::vector<audit::Finding>& findings)
{
  json out = json::array();
  for (int s = static_cast<int>(audit::Severity::critical); s >= 0; --s) {
    const auto severity = static_cast<audit::Severity>(s);
    const auto n = std::count_if(findings.begin(), findings.end(),
                                 [&](const audit::Finding& f) { return f.severity == severity; });
    out.push_back(json{{"severity", audit::to_string(severity)}, {"count", n}});
  }
  return out;
}

json
database_json(const DatabaseHistory& db)
{
  const auto& latest = db.snapshots.back();
  const audit::Snapshot* previous = db.snapshots.size() > 1 ? &db.snapshots[db.snapshots.size() - 2] : nullptr;

  // First time each fingerprint was seen, and in how many snapshots.
  std::map<std::string, std::int64_t> first_seen;
  std::map<std::string, int> seen_count;
  for (const auto& snap : db.snapshots) {
    for (const auto& f : snap.findings) {
      first_seen.try_emplace(f.fingerprint, snap.info.taken_at);
      ++seen_count[f.fingerprint];
    }
  }
  std::map<std::string, const audit::Finding*> before;
  if (previous) {
    for (const auto& f : previous->findings) {
      before[f.fingerprint] = &f;
    }
  }

  json findings = json::array();
  json new_items = json::array();
  json worse_items = json::array();
  std::map<std::string, int> by_category;
  std::set<std::string> now_present;
  int rank = 0;
  int unchanged = 0;
  for (const auto& f : latest.findings) {
    now_present.insert(f.fingerprint);
    ++by_category[f.category];
    auto item = finding_json(f);
    const auto first = first_seen[f.fingerprint];
    const double age_days = static_cast<double>(latest.info.taken_at - first) / k_seconds_per_day;
    item["rank"] = ++rank;
    item["first_seen"] = util::format_iso(first).substr(0, 10);
    item["age_days"] = static_cast<int>(age_days);
    item["quarters"] = static_cast<int>(age_days / k_days_per_quarter);
    item["snapshots_seen"] = seen_count[f.fingerprint];
    std::string status = "unchanged";
    if (previous) {
      const auto it = before.find(f.fingerprint);
      if (it == before.end()) {
        status = "new";
      } else if (f.severity > it->second->severity) {
        status = "worse";
        item["previous_severity"] = audit::to_string(it->second->severity);
      }
    } else {
      status = "new";
    }
    item["status"] = status;
    item["is_new"] = status == "new";
    item["is_worse"] = status == "worse";
    if (status == "new") {
      new_items.push_back(item);
    } else if (status == "worse") {
      worse_items.push_back(item);
    } else {
      ++unchanged;
    }
    findings.push_back(std::move(item));
  }
  json fixed_items = json::array();
  if (previous) {
    for (const auto& f : previous->findings) {
      if (!now_present.count(f.fingerprint)) {
        fixed_items.push_back(finding_json(f));
      }
    }
  }

  json snapshots = json::array();
  for (const auto& snap : db.snapshots) {
    snapshots.push_back(json{{"id", snap.info.id},
                             {"taken_at", util::format_iso(snap.info.taken_at)},
                             {"date", util::format_iso(snap.info.taken_at).substr(0, 10)},
                             {"findings", snap.findings.size()},
                             {"skipped", snap.skipped.size()},
                             {"by_severity", severity_counts(snap.findings)}});
  }

  json skipped = json::array();
  for (const auto& s : latest.skipped) {
    skipped.push_back(json{{"check_id", s.check_id}, {"reason", s.reason}});
  }

  return json{
    {"name", db.name},
    {"dbname", latest.info.dbname},
    {"host", latest.info.host},
    {"port", latest.info.port},
    {"server_version", latest.info.server_version},
    {"stats_reset", latest.info.stats_reset ? json(*latest.info.stats_reset) : json(nullptr)},
    {"latest", util::format_iso(latest.info.taken_at)},
    {"previous", previous ? json(util::format_iso(previous->info.taken_at)) : json(nullptr)},
    {"has_previous", previous != nullptr},
    {"snapshot_count", db.snapshots.size()},
    {"snapshots", std::move(snapshots)},
    {"summary",
     json{{"total", latest.findings.size()},
          {"by_severity", severity_counts(latest.findings)},
          {"by_category", counts_json(by_category, "category")}}},
    {"changes",
     json{{"new_count", new_items.size()},
          {"fixed_count", fixed_items.size()},
          {"worse_count", worse_items.size()},
          {"has_fixed", !fixed_items.empty()},
          {"new", std::move(new_items)},
          {"fixed", std::move(fixed_items)},
          {"worse", std::move(worse_items)},
          {"unchanged", unchanged}}},
    {"findings", std::move(findings)},
    {"has_findings", !latest.findings.empty()},
    {"skipped", std::move(skipped)},
    {"has_skipped", !latest.skipped.empty()},
  };
}

} // namespace

json
build_model(const std::vector<DatabaseHistory>& databases, std::int64_t generated_at)
{
  json dbs = json::array();
  for (const auto& db : databases) {
    if (!db.snapshots.empty()) {
      dbs.push_back(database_json(db));
    }
  }
  return json{{"schema_version", k_schema_version},
              {"tool_version", SCHEMA_AUDIT_VERSION},
              {"generated_at", util::format_iso(generated_at)},
              {"databases", std::move(dbs)}};
}

} // namespace report
