#include "report/model.hpp"

#include "report/finding_view.hpp"
#include "report/trends.hpp"
#include "util/parallel.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace report {

namespace {

using nlohmann::json;

constexpr double k_seconds_per_day = 86400.0;
// Findings of one database at least this many are viewed on two threads.
constexpr std::size_t k_parallel_findings = 2000;
constexpr double k_days_per_quarter = 91.3;
// Usage statistics younger than this make "unused" findings premature.
constexpr double k_young_stats_days = 14;

// "new this snapshot", "3 weeks", "2 quarters".
std::string
age_text(double days)
{
  if (days < 1) {
    return "new this snapshot";
  }
  if (days < 14) {
    return fmt::format("{} day(s)", static_cast<int>(days));
  }
  if (days < k_days_per_quarter) {
    return fmt::format("{} weeks", static_cast<int>(days / 7));
  }
  return fmt::format("{} quarter(s)", std::lround(days / k_days_per_quarter));
}

json
deprecation_json(const model::Finding& f, const json& item)
{
  const auto& ev = f.evidence.is_object() ? f.evidence : json::object();
  const bool ready = ev.value("ready_to_drop", false);
  const auto first_seen = ev.contains("first_seen") && ev["first_seen"].is_string()
                            ? ev["first_seen"].get<std::string>().substr(0, 10)
                            : item["first_seen"].get<std::string>();
  const int age_days = ev.contains("age_days") && ev["age_days"].is_number() ? ev["age_days"].get<int>()
                                                                                : item["age_days"].get<int>();
  return json{{"object", f.object},
              {"object_type", f.object_type},
              {"check_id", f.check_id},
              {"severity", model::to_string(f.severity)},
              {"first_seen", first_seen},
              {"age_days", age_days},
              {"ready_to_drop", ready},
              {"status", ready ? "ready to drop" : "waiting"},
              {"message", f.message},
              {"remediation", f.remediation},
              {"has_remediation", !f.remediation.empty()},
              {"undo", f.undo},
              {"has_undo", !f.undo.empty()}};
}

json
caveats_json(const DatabaseHistory& db)
{
  json out = json::array();
  const auto& latest = db.latest;
  const model::SnapshotInfo* previous = db.snapshots.size() > 1 ? &db.snapshots[db.snapshots.size() - 2].info : nullptr;
  if (latest.info.stats_reset) {
    if (const auto reset = util::parse_iso(*latest.info.stats_reset)) {
      const double days = static_cast<double>(latest.info.taken_at - *reset) / k_seconds_per_day;
      if (days < k_young_stats_days) {
        out.push_back(json{{"kind", "young_stats"},
                           {"text", fmt::format("Usage statistics were reset {} ({} day(s) before this audit): "
                                                "findings based on scan counts, such as unused indexes, may be premature.",
                                                latest.info.stats_reset->substr(0, 10), static_cast<int>(days))}});
      }
      if (previous && *reset > previous->taken_at) {
        out.push_back(json{{"kind", "stats_reset"},
                           {"text", fmt::format("Usage statistics were reset on {}, after the previous snapshot: "
                                                "scan counts for this period start at the reset.",
                                                latest.info.stats_reset->substr(0, 10))}});
      }
    }
  } else {
    out.push_back(json{{"kind", "no_stats_reset"},
                       {"text", "The server does not report when its statistics were last reset: the age of "
                                "scan counts is unknown."}});
  }
  if (previous && previous->server_version != latest.info.server_version) {
    out.push_back(json{{"kind", "server_upgrade"},
                       {"text", fmt::format("The server changed from PostgreSQL {} to {} since the previous snapshot.",
                                            previous->server_version, latest.info.server_version)}});
  }
  return out;
}

json
database_json(const DatabaseHistory& db, std::size_t index, const ModelOptions& options)
{
  const auto& latest = db.latest;
  const model::Snapshot* previous = db.previous ? &*db.previous : nullptr;

  std::unordered_map<std::string_view, const model::Finding*> before;
  if (previous) {
    before.reserve(previous->findings.size() * 2);
    for (const auto& f : previous->findings) {
      before.emplace(f.fingerprint, &f);
    }
  }

  // Checks without a result: in the latest snapshot their earlier findings are not fixed but
  // "not checked"; in the previous one their findings now are not new.
  const auto not_run_now = not_run_checks(latest);
  const auto not_run_before = previous ? not_run_checks(*previous) : decltype(not_run_now){};

  json findings = json::array();
  json new_items = json::array();
  json worse_items = json::array();
  json deprecations = json::array();
  int unchanged = 0;
  int better = 0;
  int not_checked_before = 0;
  // Shown in full (rank within the detail limit), or with every field anyway (the JSON report);
  // else only what its listing row shows (HTML, Markdown).
  const auto full_at = [&](std::size_t i) { return options.full_listing || i < options.detail_limit; };
  // finding_json of thousands of findings: on two threads (it only reads them).
  std::vector<json> items(latest.findings.size());
  util::in_two_halves(items.size(), k_parallel_findings, [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      items[i] = full_at(i) ? finding_json(latest.findings[i]) : finding_listing_json(latest.findings[i]);
    }
  });
  std::size_t rank = 0;
  for (const auto& f : latest.findings) {
    auto item = std::move(items[rank]);
    const auto found = db.ages.find(f.fingerprint);
    const auto age = found != db.ages.end() ? found->second : model::FingerprintAge{latest.info.taken_at, 1};
    const double age_days = static_cast<double>(latest.info.taken_at - age.first_seen) / k_seconds_per_day;
    const auto* def = options.checks ? model::find_check(*options.checks, f.check_id) : nullptr;
    const bool full = full_at(rank);
    item["rank"] = ++rank;
    const bool detailed = rank <= options.detail_limit;
    item["detailed"] = detailed;
    item["title"] = def ? def->title : f.check_id;
    if (full) {
      // The same paragraph for every finding of a check: only the findings shown in full carry
      // it (it was nearly half of a large report); every check's is in the top-level "checks".
      item["rationale"] = def && detailed ? json(def->rationale) : json(nullptr);
      item["has_rationale"] = def && detailed && !def->rationale.empty();
      item["quarters"] = static_cast<int>(std::lround(age_days / k_days_per_quarter));
      item["snapshots_seen"] = age.snapshots;
    }
    item["first_seen"] = date_of(age.first_seen);
    item["age_days"] = static_cast<int>(age_days);
    item["age_text"] = age_text(age_days);
    std::string status = "new";
    item["previous_severity"] = nullptr;
    if (previous) {
      const auto it = before.find(f.fingerprint);
      if (it != before.end()) {
        status = f.severity > it->second->severity ? "worse" : f.severity < it->second->severity ? "better" : "unchanged";
        if (status != "unchanged") {
          item["previous_severity"] = model::to_string(it->second->severity);
        }
      } else if (not_run_before.count(f.check_id)) {
        status = "not_checked_before";
      }
    }
    item["status"] = status;
    item["is_new"] = status == "new";
    item["is_worse"] = status == "worse";
    if (full) {
      item["is_better"] = status == "better";
    }
    if (status == "new") {
      new_items.push_back(item);
    } else if (status == "worse") {
      worse_items.push_back(item);
    } else if (status == "better") {
      ++better;
    } else if (status == "not_checked_before") {
      ++not_checked_before;
    } else {
      ++unchanged;
    }
    if (f.category == "deprecated_object") {
      deprecations.push_back(deprecation_json(f, item));
    }
    findings.push_back(std::move(item));
  }
  json fixed_items = json::array();
  json not_checked_items = json::array();
  if (previous) {
    std::unordered_set<std::string_view> now_present;
    now_present.reserve(latest.findings.size() * 2);
    for (const auto& f : latest.findings) {
      now_present.insert(f.fingerprint);
    }
    for (const auto& f : previous->findings) {
      if (!now_present.count(f.fingerprint)) {
        const auto not_run = not_run_now.find(f.check_id);
        json item{{"check_id", f.check_id},
                  {"category", f.category},
                  {"severity", model::to_string(f.severity)},
                  {"object", f.object},
                  {"object_type", f.object_type}};
        if (not_run == not_run_now.end()) {
          fixed_items.push_back(std::move(item));
        } else {
          item["reason"] = not_run->second->reason;
          not_checked_items.push_back(std::move(item));
        }
      }
    }
  }

  json snapshots = json::array();
  for (const auto& snap : db.snapshots) {
    snapshots.push_back(json{{"id", snap.info.id},
                             {"taken_at", util::format_iso(snap.info.taken_at)},
                             {"date", date_of(snap.info.taken_at)},
                             {"server_version", snap.info.server_version},
                             {"findings", snap.info.finding_count},
                             {"skipped", snap.info.skipped_count},
                             {"by_severity", severity_counts(snap.totals)}});
  }

  json skipped = json::array();
  json failed_checks = json::array();
  for (const auto& s : latest.skipped) {
    skipped.push_back(skipped_json(s));
    if (s.failed()) {
      failed_checks.push_back(skipped.back());
    }
  }
  std::map<std::string, int> by_category;
  for (const auto& f : latest.findings) {
    ++by_category[f.category];
  }
  json categories = json::array();
  for (const auto& [category, count] : by_category) {
    categories.push_back(json{{"category", category}, {"count", count}});
  }
  const long delta = previous ? static_cast<long>(latest.findings.size()) - static_cast<long>(previous->findings.size()) : 0;
  auto caveats = caveats_json(db);
  std::vector<std::optional<double>> totals;
  for (const auto& snap : db.snapshots) {
    totals.emplace_back(static_cast<double>(snap.info.finding_count));
  }
  const auto more = findings.size() > options.detail_limit ? findings.size() - options.detail_limit : 0;

  return json{
    {"index", index},
    {"anchor", fmt::format("db-{}", index)},
    {"name", db.name},
    {"dbname", latest.info.dbname},
    {"host", latest.info.host},
    {"port", latest.info.port},
    {"server_version", latest.info.server_version},
    {"stats_reset", latest.info.stats_reset ? json(*latest.info.stats_reset) : json(nullptr)},
    {"latest", util::format_iso(latest.info.taken_at)},
    {"latest_date", date_of(latest.info.taken_at)},
    {"first_date", date_of(db.snapshots.front().info.taken_at)},
    {"previous", previous ? json(util::format_iso(previous->info.taken_at)) : json(nullptr)},
    {"has_previous", previous != nullptr},
    {"snapshot_count", db.snapshots.size()},
    {"snapshots", std::move(snapshots)},
    {"summary",
     json{{"total", latest.findings.size()},
          {"previous_total", previous ? json(previous->findings.size()) : json(nullptr)},
          {"delta", delta},
          {"delta_text", !previous ? "" : delta == 0 ? "no change" : fmt::format("{:+}", delta)},
          {"by_severity", severity_counts(latest.findings)},
          {"by_category", std::move(categories)}}},
    {"changes",
     json{{"new_count", new_items.size()},
          {"fixed_count", fixed_items.size()},
          {"worse_count", worse_items.size()},
          {"better_count", better},
          {"unchanged", unchanged},
          {"has_new", !new_items.empty()},
          {"has_better", better > 0},
          {"has_fixed", !fixed_items.empty()},
          {"has_worse", !worse_items.empty()},
          {"not_checked_count", not_checked_items.size()},
          {"has_not_checked", !not_checked_items.empty()},
          {"not_checked_before_count", not_checked_before},
          {"has_not_checked_before", not_checked_before > 0},
          {"new", std::move(new_items)},
          {"fixed", std::move(fixed_items)},
          {"not_checked", std::move(not_checked_items)},
          {"worse", std::move(worse_items)}}},
    {"findings", std::move(findings)},
    {"has_findings", !latest.findings.empty()},
    {"total_chart", sparkline_json(fmt::format("findings in {}", db.name), totals, snapshot_labels(db))},
    {"more_findings_count", more},
    {"has_more_findings", more > 0},
    {"trends", trends_json(db)},
    {"deprecations", deprecations},
    {"has_deprecations", !deprecations.empty()},
    {"skipped", skipped},
    {"has_skipped", !skipped.empty()},
    {"failed_check_count", failed_checks.size()},
    {"has_failed_checks", !failed_checks.empty()},
    {"failed_checks", std::move(failed_checks)},
    {"caveats", caveats},
    {"has_caveats", !caveats.empty()},
  };
}

json
fleet_row(const json& db)
{
  const auto& summary = db["summary"];
  const auto delta = summary["delta"].get<long>();
  const bool has_previous = db["has_previous"].get<bool>();
  json worst = nullptr;
  if (!db["findings"].empty()) {
    const auto& f = db["findings"][0];
    worst = json{{"severity", f["severity"]}, {"check_id", f["check_id"]}, {"title", f["title"]},
                 {"object", f["object"]}, {"message", f["message"]}};
  }
  const char* trend = !has_previous ? "none" : delta > 0 ? "up" : delta < 0 ? "down" : "flat";
  return json{{"index", db["index"]},
              {"anchor", db["anchor"]},
              {"name", db["name"]},
              {"latest_date", db["latest_date"]},
              {"snapshot_count", db["snapshot_count"]},
              {"total", summary["total"]},
              {"by_severity", summary["by_severity"]},
              {"delta", delta},
              {"delta_text", has_previous ? summary["delta_text"].get<std::string>() : "first snapshot"},
              {"trend", trend},
              {"trend_arrow", !has_previous ? "\xE2\x80\x94" : delta > 0 ? "\xE2\x96\xB2" : delta < 0 ? "\xE2\x96\xBC" : "="},
              {"worst", worst},
              {"has_worst", !worst.is_null()},
              {"failed_check_count", db["failed_check_count"]},
              {"has_failed_checks", db["has_failed_checks"]},
              {"failed_checks", db["failed_checks"]},
              {"chart", db["total_chart"]}};
}

} // namespace

json
build_model(const std::vector<DatabaseHistory>& databases, std::int64_t generated_at, const ModelOptions& options)
{
  json dbs = json::array();
  json fleet = json::array();
  for (const auto& db : databases) {
    if (!db.snapshots.empty()) {
      dbs.push_back(database_json(db, dbs.size() + 1, options));
      fleet.push_back(fleet_row(dbs.back()));
    }
  }
  // Title and rationale of every check with a finding in the report.
  std::map<std::string, const model::CheckDef*> used;
  for (const auto& db : databases) {
    for (const auto& f : db.latest.findings) {
      used.try_emplace(f.check_id, options.checks ? model::find_check(*options.checks, f.check_id) : nullptr);
    }
  }
  json checks = json::array();
  for (const auto& [id, def] : used) {
    checks.push_back(json{{"check_id", id},
                          {"title", def ? def->title : id},
                          {"rationale", def ? json(def->rationale) : json(nullptr)}});
  }
  const auto count = dbs.size();
  return json{{"schema_version", k_schema_version},
              {"tool_version", SCHEMA_AUDIT_VERSION},
              {"generated_at", util::format_iso(generated_at)},
              {"database_count", count},
              {"multiple_databases", count > 1},
              {"fleet", std::move(fleet)},
              {"checks", std::move(checks)},
              {"databases", std::move(dbs)}};
}

} // namespace report
