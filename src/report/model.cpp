#include "report/model.hpp"

#include "report/finding_entries.hpp"

#include "util/enum_names.hpp"
#include "util/index_by.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace report {

namespace {

constexpr double k_seconds_per_day = 86400.0;
constexpr double k_days_per_quarter = 91.3;

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

const model::CheckDef*
check_of(const ModelOptions& options, std::string_view check_id)
{
  return model::find_check(*options.checks, check_id);
}

// What the report needs of the previous snapshot: its findings by fingerprint, and which
// checks had no result in it.
struct Previous
{
  const model::Snapshot* snapshot = nullptr;
  std::unordered_map<std::string_view, const model::Finding*> by_fingerprint;
  std::unordered_map<std::string_view, const model::SkippedCheck*> not_run;
  // the fingerprints of the findings it holds as the latest does, not in its findings (sorted)
  const model::FingerprintSet* unchanged = nullptr;

  explicit Previous(const DatabaseHistory& db)
  {
    if (!db.previous) {
      return;
    }
    snapshot = &*db.previous;
    unchanged = &db.unchanged_in_previous;
    by_fingerprint = util::index_by(snapshot->findings, &model::Finding::fingerprint);
    not_run = not_run_checks(*snapshot);
  }

  // How `f` of the latest snapshot compares; `card` gets the previous severity when it differs,
  // or the measure that grew when only a measured value made it worse.
  FindingChange change_of(const model::Finding& f, FindingCard& card) const
  {
    if (!snapshot) {
      return FindingChange::added;
    }
    const auto it = by_fingerprint.find(f.fingerprint);
    if (it == by_fingerprint.end()) {
      // every field equal: what compare_finding says of a finding and itself
      if (unchanged->contains(f.fingerprint)) {
        return FindingChange::unchanged;
      }
      return not_run.count(f.check_id) ? FindingChange::not_checked_before : FindingChange::added;
    }
    // the diff's rule (compare_finding), so that both say the same
    const auto moved = compare_finding(*WholeFinding(*it->second, snapshot->spill.get()), *WholeFinding(f, card.words));
    card.previous_severity = moved.severity_before;
    if (!moved.severity_before && moved.direction == Direction::worse) {
      card.worse_measure = moved.measure ? std::make_shared<const MeasureChange>(*moved.measure) : nullptr;
    }
    switch (moved.direction) {
    case Direction::worse:
      return FindingChange::worse;
    case Direction::better:
      return FindingChange::better;
    case Direction::same:
      break;
    }
    return FindingChange::unchanged;
  }
};

// Whether the entry at `entry_position` (0-based) of the fix-first list, led by `lead`, is shown
// in full: within the detail limit, and medium or worse (low and info entries are listed in a
// table, where a reader skims them).
bool
entry_detailed(std::size_t entry_position, const model::Finding& lead, const ModelOptions& options)
{
  return entry_position < options.detail_limit && lead.severity >= model::Severity::medium;
}

// The projections of the sequences and keys the trends chart, by object.
using Projections = std::unordered_map<std::string_view, const SequenceTrend*>;

// The card of the finding at `position` (0-based) of the latest snapshot, the lead of the entry
// at `entry_position` (0-based) or one of its others; `def` is its check's definition when the
// report shows check texts.
FindingCard
finding_card(const DatabaseHistory& db,
             std::size_t position,
             std::size_t entry_position,
             bool lead,
             const model::CheckDef* def,
             const Previous& previous,
             const Projections& projections,
             const ModelOptions& options)
{
  const auto& latest = db.latest;
  const auto& f = latest.findings[position];
  const auto age = db.ages.find(f.fingerprint).value_or(model::FingerprintAge{latest.info.taken_at, 1});
  const double age_days = static_cast<double>(latest.info.taken_at - age.first_seen) / k_seconds_per_day;
  FindingCard card;
  card.finding = &f;
  card.words = latest.spill.get();
  card.detailed = lead && entry_detailed(entry_position, f, options);
  card.full = options.full_listing || card.detailed;
  card.rank = position + 1;
  card.title = def ? std::string_view(def->title) : std::string_view(f.check_id.str());
  if (const auto it = projections.find(f.object); it != projections.end()) {
    card.projection = &it->second->projection;
  }
  card.snapshots_seen = age.snapshots;
  card.first_seen_at = age.first_seen;
  card.age = age_days;
  card.change = previous.change_of(f, card);
  return card;
}

// The findings on the deprecation board: those of checks whose header puts them there.
Deprecation
deprecation_of(const FindingCard& card)
{
  const WholeFinding f(*card.finding, card.words);
  const auto& ev = f->evidence.is_object() ? f->evidence : nlohmann::json::object();
  Deprecation out;
  out.finding = card.finding;
  out.words = card.words;
  out.ready_to_drop = ev.value("ready_to_drop", false);
  out.first_seen = ev.contains("first_seen") && ev["first_seen"].is_string() ? ev["first_seen"].get<std::string>().substr(0, 10)
                                                                              : card.first_seen();
  out.age_days = ev.contains("age_days") && ev["age_days"].is_number() ? ev["age_days"].get<int>() : card.age_days();
  return out;
}

// The findings of the latest snapshot in fix-first order, and what changed since the previous.
void
add_findings(DatabaseReport& out, const DatabaseHistory& db, const ModelOptions& options)
{
  const Previous previous(db);
  const auto& findings = db.latest.findings;
  const auto entries = entries_of(findings);
  // each finding's entry, and whether it leads it
  std::vector<std::pair<std::size_t, bool>> entry_of(findings.size());
  for (std::size_t e = 0; e < entries.size(); ++e) {
    for (const auto i : entries[e].positions) {
      entry_of[i] = {e, i == entries[e].positions.front()};
    }
  }
  Projections projections;
  for (const auto& t : out.trends.sequences) {
    projections.emplace(t.object, &t);
  }
  // "Why it matters" once per check: on its first card shown in full.
  std::unordered_set<std::string_view> explained;
  out.findings.reserve(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    // one lookup of the check per finding: its texts (when shown) and where the report lists it
    const auto* check = check_of(options, findings[i].check_id);
    const auto* texts = options.check_texts ? check : nullptr;
    auto card = finding_card(db, i, entry_of[i].first, entry_of[i].second, texts, previous, projections, options);
    if (texts && card.detailed && explained.insert(texts->id).second) {
      card.rationale = &texts->rationale;
    }
    switch (card.change) {
    case FindingChange::added:
    case FindingChange::worse:
      break; // listed below, once the card has its place
    case FindingChange::better:
      ++out.changes.better_count;
      break;
    case FindingChange::not_checked_before:
      ++out.changes.not_checked_before_count;
      break;
    case FindingChange::unchanged:
      ++out.changes.unchanged;
      break;
    }
    if (check && check->report_section == model::ReportSection::deprecation_board) {
      out.deprecations.push_back(deprecation_of(card));
    }
    out.findings.push_back(std::move(card));
  }
  // The lists below point into out.findings, which no longer grows.
  for (const auto& card : out.findings) {
    if (card.change == FindingChange::added) {
      out.changes.added.emplace_back(card);
    } else if (card.change == FindingChange::worse) {
      out.changes.worse.emplace_back(card);
    }
  }
  out.entries.reserve(entries.size());
  for (std::size_t e = 0; e < entries.size(); ++e) {
    FindingEntry entry;
    entry.rank = e + 1;
    entry.detailed = entry_detailed(e, findings[entries[e].positions.front()], options);
    entry.summary = entry_summary(findings, entries[e]);
    entry.alike = one_object_across_schemas(findings, entries[e]);
    entry.lead = CardRef(out.findings[entries[e].positions.front()]);
    entry.others.reserve(entries[e].positions.size() - 1);
    for (std::size_t k = 1; k < entries[e].positions.size(); ++k) {
      // a listing row; the report's findings hold every field
      entry.others.emplace_back(out.findings[entries[e].positions[k]], false);
    }
    out.entries.push_back(std::move(entry));
  }
  const auto detailed = static_cast<std::size_t>(
    std::count_if(out.entries.begin(), out.entries.end(), [](const FindingEntry& e) { return e.detailed; }));
  out.more_entries_count = entries.size() - detailed;
  out.more_findings_count = findings.size() - detailed;
}

// The findings of the previous snapshot that are gone: fixed, or not checked this time (their
// check did not run).
void
add_gone(Changes& out, const DatabaseHistory& db)
{
  if (!db.previous) {
    return;
  }
  const auto not_run_now = not_run_checks(db.latest);
  model::FingerprintSet now_present;
  for (const auto& f : db.latest.findings) {
    now_present.add(f.fingerprint);
  }
  now_present.sort();
  for (const auto& f : db.previous->findings) {
    if (now_present.contains(f.fingerprint)) {
      continue;
    }
    const auto not_run = not_run_now.find(f.check_id);
    if (not_run == not_run_now.end()) {
      out.fixed.push_back(GoneFinding{&f});
    } else {
      out.not_checked.push_back(NotCheckedFinding{GoneFinding{&f}, not_run->second->reason});
    }
  }
}

std::vector<Caveat>
caveats_of(const DatabaseHistory& db, const ModelOptions& options)
{
  std::vector<Caveat> out;
  const auto& latest = db.latest;
  const model::SnapshotInfo* previous = db.snapshots.size() > 1 ? &db.snapshots[db.snapshots.size() - 2].info : nullptr;
  if (latest.info.stats_reset) {
    if (const auto reset = util::parse_iso(*latest.info.stats_reset)) {
      const double days = static_cast<double>(latest.info.taken_at - *reset) / k_seconds_per_day;
      if (days < options.stats_min_age_days) {
        out.push_back({"young_stats", fmt::format("Usage statistics were reset {} ({} day(s) before this audit): "
                                                  "findings based on scan counts, such as unused indexes, may be premature.",
                                                  latest.info.stats_reset->substr(0, 10), static_cast<int>(days))});
      }
      if (previous && *reset > previous->taken_at) {
        out.push_back({"stats_reset", fmt::format("Usage statistics were reset on {}, after the previous snapshot: "
                                                  "scan counts for this period start at the reset.",
                                                  latest.info.stats_reset->substr(0, 10))});
      }
    }
  } else {
    out.push_back({"no_stats_reset", "The server does not report when its statistics were last reset: the age of "
                                     "scan counts is unknown."});
  }
  for (const auto& m : latest.metrics) {
    if (m.object_type == "database" && m.metric == "replicas_missed" && m.value > 0) {
      out.push_back({"replica_missed", fmt::format("{} read replica(s) given to this audit could not be read: usage "
                                                   "verdicts (unused indexes and tables) are low confidence, and "
                                                   "the findings say which replica and why.",
                                                   static_cast<int>(m.value))});
    }
  }
  if (previous && previous->server_version != latest.info.server_version) {
    out.push_back({"server_upgrade", fmt::format("The server changed from PostgreSQL {} to {} since the previous snapshot.",
                                                 previous->server_version, latest.info.server_version)});
  }
  return out;
}

Summary
summary_of(const DatabaseHistory& db)
{
  const auto& latest = db.latest;
  Summary out;
  out.total = latest.findings.size();
  if (db.previous) {
    const auto previous_total = db.previous->findings.size() + db.unchanged_in_previous.size();
    out.previous_total = previous_total;
    out.delta = static_cast<long>(latest.findings.size()) - static_cast<long>(previous_total);
    out.delta_text = out.delta == 0 ? "no change" : fmt::format("{:+}", out.delta);
  }
  out.by_severity = severity_counts(latest.findings);
  std::map<std::string, int> by_category;
  for (const auto& f : latest.findings) {
    ++by_category[f.category];
  }
  for (const auto& [category, count] : by_category) {
    out.by_category.push_back(CategoryCount{category, count});
  }
  return out;
}

std::vector<SnapshotRow>
snapshot_rows(const DatabaseHistory& db)
{
  std::vector<SnapshotRow> out;
  for (const auto& snap : db.snapshots) {
    out.push_back(SnapshotRow{snap.info.id, snap.info.taken_at, snap.info.server_version, snap.info.finding_count,
                              snap.info.skipped_count, severity_counts(snap.totals)});
  }
  return out;
}

DatabaseReport
database_report(const DatabaseHistory& db, std::size_t index, const ModelOptions& options)
{
  DatabaseReport out;
  out.index = index;
  out.name = db.name;
  out.latest = db.latest.info;
  if (db.previous) {
    out.previous = db.previous->info.taken_at;
  }
  out.first_taken_at = db.snapshots.front().info.taken_at;
  out.snapshots = snapshot_rows(db);
  out.summary = summary_of(db);
  out.trends = build_trends(db, *options.checks);
  add_findings(out, db, options);
  add_gone(out.changes, db);
  Values totals;
  for (const auto& snap : db.snapshots) {
    totals.emplace_back(static_cast<double>(snap.info.finding_count));
  }
  out.total_chart = sparkline_chart(fmt::format("findings in {}", db.name), totals, snapshot_labels(db));
  out.schema_changes = schema_changes(db);
  // The deprecation board dates a deprecated object from its rename when the catalog saw it.
  for (auto& d : out.deprecations) {
    for (const auto& span : out.schema_changes.open_deprecations) {
      if (span.object == d.finding->object && span.renamed_at <= db.latest.info.taken_at) {
        d.first_seen = date_of(span.renamed_at);
        d.age_days = static_cast<int>((db.latest.info.taken_at - span.renamed_at) / 86400);
        d.first_seen_from = "catalog";
      }
    }
  }
  out.skipped = skipped_views(db.latest.skipped);
  out.caveats = caveats_of(db, options);
  out.health = area_health(db.latest, *options.checks);
  return out;
}

FleetRow
fleet_row(const DatabaseReport& db)
{
  FleetRow out;
  out.index = db.index;
  out.name = db.name;
  out.latest_date = date_of(db.latest.taken_at);
  out.snapshot_count = db.snapshots.size();
  out.total = db.summary.total;
  out.by_severity = db.summary.by_severity;
  out.has_previous = db.previous.has_value();
  out.delta = db.summary.delta;
  out.delta_text = db.summary.delta_text;
  if (!db.findings.empty()) {
    const auto& first = db.findings.front();
    const WholeFinding f(*first.finding, first.words);
    out.worst = WorstItem{std::string(model::to_string(f->severity)), f->check_id, std::string(first.title), f->object, f->message};
  }
  out.failed_checks = db.failed_checks();
  out.chart = db.total_chart;
  return out;
}

// Title and rationale of every check with a finding in the report, by id.
std::vector<CheckText>
check_texts(const std::vector<DatabaseHistory>& databases, const ModelOptions& options)
{
  std::map<std::string, const model::CheckDef*> used;
  for (const auto& db : databases) {
    for (const auto& f : db.latest.findings) {
      used.try_emplace(f.check_id, options.check_texts ? check_of(options, f.check_id) : nullptr);
    }
  }
  std::vector<CheckText> out;
  for (const auto& [id, def] : used) {
    out.push_back(CheckText{id, def ? def->title : id, def ? std::optional(def->rationale) : std::nullopt});
  }
  return out;
}

} // namespace

std::string
FindingCard::first_seen() const
{
  return date_of(first_seen_at);
}

int
FindingCard::age_days() const
{
  return static_cast<int>(age);
}

std::string
FindingCard::age_text() const
{
  return report::age_text(age);
}

int
FindingCard::quarters() const
{
  return static_cast<int>(std::lround(age / k_days_per_quarter));
}

std::string
FindingCard::change_text() const
{
  if (change == FindingChange::worse && worse_measure) {
    return fmt::format("worse: {} {} \u2192 {}", worse_measure->key, worse_measure->before, worse_measure->after);
  }
  if ((change == FindingChange::worse || change == FindingChange::better) && previous_severity) {
    return fmt::format("{}, was {}", change == FindingChange::worse ? "worse" : "better",
                       model::to_string(*previous_severity));
  }
  return "";
}

std::string_view
to_string(FindingChange change)
{
  static constexpr util::EnumNames<FindingChange, 5> names({"new", "worse", "better", "unchanged", "not_checked_before"});
  return names.name(change);
}

std::string
indented_block(const std::string& sql)
{
  std::string indented;
  // A carriage return ends a Markdown line too: treat it as a line break, so every line is indented.
  auto text = sql;
  std::replace(text.begin(), text.end(), '\r', '\n');
  // Every line as written, blank ones and leading spaces kept: the block is pasted as SQL, where
  // they can be part of a string (util::split trims and drops them).
  std::size_t start = 0;
  while (start < text.size()) {
    const auto eol = std::min(text.find('\n', start), text.size());
    indented.append("    ").append(text, start, eol - start).append("\n");
    start = eol + 1;
  }
  return indented;
}

std::string
DatabaseReport::anchor() const
{
  return fmt::format("db-{}", index);
}

std::vector<SequenceTrend>
DatabaseReport::top_risks() const
{
  constexpr std::size_t k_top_risks = 3;
  // trends.sequences is fullest first
  return {trends.sequences.begin(), trends.sequences.begin() + static_cast<std::ptrdiff_t>(
                                                                 std::min(trends.sequences.size(), k_top_risks))};
}

std::vector<SkippedView>
DatabaseReport::failed_checks() const
{
  std::vector<SkippedView> out;
  for (const auto& s : skipped) {
    if (s.check.failed()) {
      out.push_back(s);
    }
  }
  return out;
}

Report
build_model(const std::vector<DatabaseHistory>& databases, std::int64_t generated_at, const ModelOptions& options)
{
  Report out;
  out.generated_at = generated_at;
  for (const auto& db : databases) {
    if (!db.snapshots.empty()) {
      out.databases.push_back(database_report(db, out.databases.size() + 1, options));
    }
  }
  // Riskiest first, in the fleet overview and the sections alike: the most critical findings,
  // then the most high, ... then by name.
  std::stable_sort(out.databases.begin(), out.databases.end(), [](const DatabaseReport& a, const DatabaseReport& b) {
    const auto& x = a.summary.by_severity;
    const auto& y = b.summary.by_severity;
    for (std::size_t s = 0; s < x.size() && s < y.size(); ++s) {
      if (x[s].count != y[s].count) {
        return x[s].count > y[s].count;
      }
    }
    return a.name < b.name;
  });
  for (const auto& db : out.databases) {
    out.fleet.push_back(fleet_row(db));
  }
  out.fleet_totals.by_severity = severity_counts(std::vector<model::Finding>{});
  for (const auto& row : out.fleet) {
    out.fleet_totals.total += row.total;
    for (std::size_t s = 0; s < row.by_severity.size(); ++s) {
      out.fleet_totals.by_severity[s].count += row.by_severity[s].count;
    }
  }
  out.checks = check_texts(databases, options);
  return out;
}

} // namespace report
