#pragma once

#include "model/check.hpp"
#include "model/snapshot.hpp"
#include "report/chart.hpp"
#include "report/fields.hpp"
#include "report/finding_view.hpp"
#include "report/health.hpp"
#include "report/html_text.hpp"
#include "report/measure_change.hpp"
#include "report/schema_changes.hpp"
#include "report/history.hpp"
#include "report/trends.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace report {

// What the report of a finding points at before it is given one (a default-made view, as
// type_shape() walks).
inline const model::Finding k_no_finding{};

struct ModelOptions
{
  // `checks`: the check definitions (titles, rationales, and which findings go on which chart
  // or board: their "-- trend:" and "-- report:" header keys). `stats_min_age_days`: usage
  // statistics younger than this make usage-based findings premature (a caveat); the audit's
  // setting of that name (audit::Config), which owns its default.
  ModelOptions(const std::vector<model::CheckDef>& checks, int stats_min_age_days)
    : checks(&checks), stats_min_age_days(stats_min_age_days)
  {
  }

  const std::vector<model::CheckDef>* checks;
  int stats_min_age_days;
  // Findings show their check's title and rationale; without, the check id as the title and no
  // rationale (what `audit --format markdown` has always shown).
  bool check_texts = true;
  // How many entries (finding_entries.hpp) the HTML and Markdown show in full; the rest are
  // listed compactly.
  std::size_t detail_limit = 50;
  // Whether the findings past detail_limit carry every field (the JSON report) or only what
  // their listing row shows (HTML and Markdown, where thousands of compactly listed findings
  // would otherwise cost most of the rendering time).
  bool full_listing = true;
};

// How a finding of the latest snapshot compares with the previous snapshot.
enum class FindingChange { added, worse, better, unchanged, not_checked_before };

std::string_view to_string(FindingChange change);

// A finding of the latest snapshot as the report shows it: its stored fields, its evidence made
// readable, its place in the fix-first order and how it changed. There is a card per finding
// (290,000 at 10,000 schemas): what it shares with others (its check's title and rationale, a
// trend's projection) it points at, and its texts of age are made when its fields are read.
struct FindingCard
{
  const model::Finding* finding = &k_no_finding;
  // Where the finding's words and evidence are when it holds only its head (the latest snapshot
  // as HistoryStore::load_with_metrics reads it); null when it holds them.
  const model::FindingSpill* words = nullptr;
  // Every field (the JSON report; findings shown in full), or what its listing row shows.
  bool full = true;
  std::size_t rank = 0; // 1-based, fix-first
  bool detailed = false; // within the detail limit
  std::string_view title; // its check's (options.checks), else its check id (interned)
  const std::string* rationale = nullptr; // its check's, on detailed findings only
  int snapshots_seen = 0;
  std::int64_t first_seen_at = 0;
  double age = 0; // days since first seen
  FindingChange change = FindingChange::added;
  std::optional<model::Severity> previous_severity; // when worse or better
  // When the severity is the same but a measured value grew past its noise (report/measure_change)
  std::shared_ptr<const MeasureChange> worse_measure;
  // For a sequence or key filling up: when it runs out at its growth rate (the trends' projection).
  const std::string* projection = nullptr;

  // How it changed since the previous snapshot, in words (the card's "worse" tag).
  std::string change_text() const;
  std::string first_seen() const; // its date
  int age_days() const;
  std::string age_text() const; // "3 weeks", "2 quarter(s)"
  int quarters() const;

  template<typename Fields>
  void fields(Fields& f) const
  {
    fields_as(f, full);
  }

  // Its fields: every one (`all`) or what a listing row shows, whatever the card's own `full`.
  template<typename Fields>
  void fields_as(Fields& f, bool all) const;
};

// What a card refers to before it is given one (a default-made reference, as type_shape() walks).
inline const FindingCard k_no_card{};

// A card of the report's findings where another list shows it (an entry's lead and others, the
// new and the worse), written as the card itself, without a copy of it: a large database has
// tens of thousands. It points into DatabaseReport::findings, which is moved, never copied.
struct CardRef
{
  const FindingCard* card = &k_no_card;
  // Every field, or what a listing row shows (an entry's others); the card's own by default.
  bool full = true;

  CardRef() = default;
  explicit CardRef(const FindingCard& of) : card(&of), full(of.full) {}
  CardRef(const FindingCard& of, bool full) : card(&of), full(full) {}

  template<typename Fields>
  void fields(Fields& f) const
  {
    card->fields_as(f, full);
  }
};

// The others of an entry the HTML and Markdown list; the JSON report has them all.
inline constexpr std::size_t k_others_listed = 20;
// The entries not shown in full that the HTML and Markdown list, in a table.
inline constexpr std::size_t k_more_entries_listed = 200;

// One entry of the fix-first list: the findings that share a group (finding_entries.hpp), such
// as one type choice on hundreds of columns, or one table in every tenant schema. The lead, the
// first in fix-first order, is shown in full; the others are listed (their cards carry what a
// listing row shows; every field of each is in the report's "findings").
struct FindingEntry
{
  std::size_t rank = 0;  // 1-based, fix-first
  bool detailed = false; // within the detail limit (which counts entries)
  std::string summary;   // "396 columns in 130 tables"; the object for an entry of one
  bool alike = false;    // one object in several schemas (one_object_across_schemas)
  CardRef lead;
  std::vector<CardRef> others; // listing rows

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(rank, detailed);
    f("group", lead.card->finding->group_id);
    f("summary", summary);
    f.view(Format::html, "summary_html", [this] { return wrappable_html(summary); });
    f("count", others.size() + 1);
    f("lead", lead);
    f("has_others", !others.empty());
    f("others_alike", alike);
    f("others_count", others.size());
    f("others", others);
    // HTML and Markdown list the first k_others_listed others and count the rest, which the
    // JSON report has in full (one design choice on 8,000 columns made a 9 MB page).
    for (const auto format : {Format::html, Format::markdown}) {
      f.view(format, "others_listed", [this] {
        return std::vector<CardRef>(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(listed()));
      });
      f.view(format, "others_unlisted_count", [this] { return others.size() - listed(); });
      f.view(format, "has_others_unlisted", [this] { return others.size() > listed(); });
    }
  }

  // How many of `others` the HTML and Markdown list.
  std::size_t listed() const { return std::min(others.size(), k_others_listed); }
};

// A finding of the previous snapshot that is gone from the latest one.
struct GoneFinding
{
  const model::Finding* finding = &k_no_finding;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("check_id", finding->check_id);
    f("category", finding->category);
    f("severity", model::to_string(finding->severity));
    f("object", finding->object);
    f("object_type", finding->object_type);
    f.view(Format::html, "object_html", [this] { return wrappable_html(finding->object); });
  }
};

// A finding of the previous snapshot whose check has no result in the latest: not fixed.
struct NotCheckedFinding
{
  GoneFinding gone;
  std::string reason;

  template<typename Fields>
  void fields(Fields& f) const
  {
    gone.fields(f);
    f("reason", reason);
  }
};

// A finding on an object marked deprecated, with how long it has waited to be dropped.
struct Deprecation
{
  const model::Finding* finding = &k_no_finding;
  const model::FindingSpill* words = nullptr; // as FindingCard's
  std::string first_seen;
  int age_days = 0;
  bool ready_to_drop = false;
  // Where first_seen comes from: "catalog" (the rename to deprecated_* the history recorded)
  // or "findings" (the first snapshot with the finding).
  std::string first_seen_from = "findings";

  template<typename Fields>
  void fields(Fields& f) const;
};

// Something that makes the latest snapshot read differently (young statistics, an upgrade).
struct Caveat
{
  std::string kind; // young_stats, stats_reset, no_stats_reset, server_upgrade, replica_missed
  std::string text;

  REPORT_DESCRIBE(kind, text)
};

struct CategoryCount
{
  std::string category;
  int count = 0;

  REPORT_DESCRIBE(category, count)
};

struct Summary
{
  std::size_t total = 0;
  std::optional<std::size_t> previous_total;
  long delta = 0;
  std::string delta_text; // "+3", "no change"; "" without a previous snapshot
  std::vector<SeverityCount> by_severity;
  std::vector<CategoryCount> by_category;

  REPORT_DESCRIBE(total, previous_total, delta, delta_text, by_severity, by_category)
};

// The latest snapshot against the previous one.
struct Changes
{
  std::vector<CardRef> added; // cards of the report's findings
  std::vector<GoneFinding> fixed;
  std::vector<NotCheckedFinding> not_checked;
  std::vector<CardRef> worse;
  int better_count = 0;
  int unchanged = 0;
  int not_checked_before_count = 0;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("new_count", added.size());
    f("fixed_count", fixed.size());
    f("worse_count", worse.size());
    REPORT_FIELDS(better_count, unchanged);
    f("has_new", !added.empty());
    f("has_better", better_count > 0);
    f("has_fixed", !fixed.empty());
    f("has_worse", !worse.empty());
    f("not_checked_count", not_checked.size());
    f("has_not_checked", !not_checked.empty());
    f("not_checked_before_count", not_checked_before_count);
    f("has_not_checked_before", not_checked_before_count > 0);
    f("new", added);
    REPORT_FIELDS(fixed, not_checked, worse);
    // HTML and Markdown list the first k_changes_listed of each; the JSON report has them all.
    for (const auto format : {Format::html, Format::markdown}) {
      f.view(format, "new_listed", [this] { return first(added); });
      f.view(format, "fixed_listed", [this] { return first(fixed); });
      f.view(format, "worse_listed", [this] { return first(worse); });
      f.view(format, "not_checked_listed", [this] { return first(not_checked); });
      f.view(format, "unlisted_note", [this] {
        const auto unlisted = [](const auto& v) { return v.size() - std::min(v.size(), k_changes_listed); };
        const auto n = unlisted(added) + unlisted(fixed) + unlisted(worse) + unlisted(not_checked);
        return n ? fmt::format("The lists show the first {} of each; {} more are in the JSON report "
                               "(schema-audit report --format json).", k_changes_listed, n)
                 : std::string();
      });
    }
  }

  static constexpr std::size_t k_changes_listed = 50;

  template<typename T>
  static std::vector<T> first(const std::vector<T>& v)
  {
    return {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), k_changes_listed))};
  }
};

// One snapshot in the database's list of snapshots.
struct SnapshotRow
{
  std::int64_t id = 0;
  std::int64_t taken_at = 0;
  std::string server_version;
  std::size_t findings = 0;
  std::size_t skipped = 0;
  std::vector<SeverityCount> by_severity;

  template<typename Fields>
  void fields(Fields& f) const;
};

// One database of the report: its latest snapshot in full, compared with the previous one,
// and its trends over every snapshot.
struct DatabaseReport
{
  // Moved, never copied: its entries and changes point into its findings (CardRef).
  DatabaseReport() = default;
  DatabaseReport(DatabaseReport&&) = default;
  DatabaseReport& operator=(DatabaseReport&&) = default;
  DatabaseReport(const DatabaseReport&) = delete;
  DatabaseReport& operator=(const DatabaseReport&) = delete;

  std::size_t index = 0; // 1-based
  std::string name;      // as in the history
  model::SnapshotInfo latest;
  std::optional<std::int64_t> previous; // when the previous snapshot was taken
  std::int64_t first_taken_at = 0;
  std::vector<SnapshotRow> snapshots;
  Summary summary;
  Changes changes;
  std::vector<FindingCard> findings; // fix-first
  std::size_t more_findings_count = 0; // not shown in full: past the detail limit, or not leads
  std::vector<FindingEntry> entries;   // the findings grouped, fix-first
  std::size_t more_entries_count = 0;  // past the detail limit
  Chart total_chart;
  Trends trends;
  std::vector<Deprecation> deprecations;
  SchemaChanges schema_changes;
  std::vector<SkippedView> skipped;
  std::vector<Caveat> caveats;
  std::vector<AreaHealth> health; // one line per area of the schema, worst first

  std::string anchor() const;
  // The sequences and keys closest to their limit, for the summary.
  std::vector<SequenceTrend> top_risks() const;
  std::vector<SkippedView> failed_checks() const;

  template<typename Fields>
  void fields(Fields& f) const;
};

// The first item of a database's fix-first list, for the fleet overview.
struct WorstItem
{
  std::string severity;
  std::string check_id;
  std::string title;
  std::string object;
  std::string message;

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(severity, check_id, title, object);
    f.view(Format::html, "object_html", [this] { return wrappable_html(object); });
    f("message", message);
  }
};

// A database in the fleet overview.
struct FleetRow
{
  std::size_t index = 0;
  std::string name;
  std::string latest_date;
  std::size_t snapshot_count = 0;
  std::size_t total = 0;
  std::vector<SeverityCount> by_severity;
  bool has_previous = false;
  long delta = 0;
  std::string delta_text;
  std::optional<WorstItem> worst;
  std::vector<SkippedView> failed_checks;
  Chart chart;

  template<typename Fields>
  void fields(Fields& f) const;
};

// The title and rationale ("why it matters") of a check with a finding in the report.
struct CheckText
{
  std::string check_id;
  std::string title;
  std::optional<std::string> rationale; // none for a check this build does not know

  REPORT_DESCRIBE(check_id, title, rationale)
};

// The fleet overview's last row: every database's latest snapshot added up.
struct FleetTotals
{
  std::size_t total = 0;
  std::vector<SeverityCount> by_severity;

  REPORT_DESCRIBE(total, by_severity)
};

// The report: everything the templates lay out and the JSON output holds. All numbers and
// series are computed when it is built; the templates only place them.
struct Report
{
  std::int64_t generated_at = 0;
  std::vector<FleetRow> fleet; // riskiest first: by critical, then high, ... findings
  FleetTotals fleet_totals;
  std::vector<CheckText> checks;
  std::vector<DatabaseReport> databases;

  template<typename Fields>
  void fields(Fields& f) const;
};

// The report of `databases` (those with snapshots). It points into their findings: keep
// `databases` while the report is used.
Report build_model(const std::vector<DatabaseHistory>& databases, std::int64_t generated_at, const ModelOptions& options);

// The lines of a fix a printed report shows (the print CSS clips pre.sql at this height).
inline constexpr std::size_t k_printed_sql_lines = 10;

inline std::size_t
line_count(const std::string& text)
{
  return text.empty() ? 0 : static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
}

// Markdown's indented code block of `sql`: every line indented four spaces, so no identifier
// in it can break out.
std::string indented_block(const std::string& sql);

template<typename Fields>
void
FindingCard::fields_as(Fields& f, bool all) const
{
  const WholeFinding whole(*finding, words);
  stored_fields(f, *whole, all);
  f.view(Format::html, "object_html", [&] { return wrappable_html(whole->object); });
  if (all) {
    if (f.wants("has_evidence") || f.wants("evidence_items") || f.wants("evidence_text")) {
      const auto evidence = evidence_view(whole->evidence);
      f("has_evidence", !evidence.items.empty());
      f("evidence_items", evidence.items);
      f("evidence_text", evidence.text);
    }
    f("has_remediation", !whole->remediation.empty());
    // advice: comments that say what the change needs, with nothing to run (model/remediation_kind.hpp)
    f("remediation_kind", model::to_string(model::remediation_kind(whole->remediation)));
    f("is_advice", model::remediation_kind(whole->remediation) == model::RemediationKind::advice);
    f("has_undo", !whole->undo.empty());
    f("has_confidence", !whole->confidence.empty());
    // What a usage verdict rests on (evidence.rests_on): counters, pg_stat_statements, query logs.
    const auto rests_on = rests_on_text(whole->evidence);
    f("has_rests_on", !rests_on.empty());
    f("rests_on", rests_on);
    f.view(Format::markdown, "remediation_indented", [&] { return indented_block(whole->remediation); });
    f.view(Format::markdown, "undo_indented", [&] { return indented_block(whole->undo); });
    // A printed page shows the first lines of a long fix and says how long it is.
    f.view(Format::html, "remediation_lines", [&] { return line_count(whole->remediation); });
    f.view(Format::html, "remediation_long", [&] { return line_count(whole->remediation) > k_printed_sql_lines; });
  }
  REPORT_FIELDS(rank, detailed);
  f("title", std::string(title));
  if (all) {
    // The same paragraph for every finding of a check: only the findings shown in full carry
    // it (it was nearly half of a large report); every check's is in the top-level "checks".
    f("rationale", rationale ? std::optional<std::string>(*rationale) : std::nullopt);
    f("has_rationale", rationale && !rationale->empty());
    f("quarters", quarters());
    REPORT_FIELDS(snapshots_seen);
  }
  f("first_seen", first_seen());
  f("age_days", age_days());
  f("age_text", age_text());
  const bool changed = change == FindingChange::worse || change == FindingChange::better;
  f("previous_severity", changed && previous_severity ? std::optional(model::to_string(*previous_severity)) : std::nullopt);
  // "worse, was medium", "worse: usage_pct 92% -> 94%", "better, was high"; empty otherwise
  f("change_text", change_text());
  f("projection", projection ? std::optional<std::string>(*projection) : std::nullopt);
  f("status", to_string(change));
  f("is_new", change == FindingChange::added);
  f("is_worse", change == FindingChange::worse);
  if (all) {
    f("is_better", change == FindingChange::better);
  }
}

template<typename Fields>
void
Deprecation::fields(Fields& f) const
{
  const WholeFinding whole(*finding, words);
  f("object", whole->object);
  f.view(Format::html, "object_html", [&] { return wrappable_html(whole->object); });
  f("object_type", whole->object_type);
  f("check_id", whole->check_id);
  f("severity", model::to_string(whole->severity));
  REPORT_FIELDS(first_seen, first_seen_from, age_days, ready_to_drop);
  f("status", ready_to_drop ? "ready to drop" : "waiting");
  f("message", whole->message);
  f("remediation", whole->remediation);
  f("has_remediation", !whole->remediation.empty());
  f("undo", whole->undo);
  f("has_undo", !whole->undo.empty());
  f.view(Format::markdown, "remediation_indented", [&] { return indented_block(whole->remediation); });
  f.view(Format::markdown, "undo_indented", [&] { return indented_block(whole->undo); });
}

template<typename Fields>
void
SnapshotRow::fields(Fields& f) const
{
  f("id", id);
  f("taken_at", util::format_iso(taken_at));
  f("date", date_of(taken_at));
  f.view(Format::html, "when", [this] { return minute_of(taken_at); });
  REPORT_FIELDS(server_version, findings, skipped, by_severity);
}

template<typename Fields>
void
DatabaseReport::fields(Fields& f) const
{
  const auto failed = failed_checks();
  f("index", index);
  f("anchor", anchor());
  f("name", name);
  f("dbname", latest.dbname);
  f("host", latest.host);
  f("port", latest.port);
  f("server_version", latest.server_version);
  f("stats_reset", latest.stats_reset);
  f("latest", util::format_iso(latest.taken_at));
  f("latest_date", date_of(latest.taken_at));
  f("first_date", date_of(first_taken_at));
  f("previous", previous ? std::optional(util::format_iso(*previous)) : std::nullopt);
  f("previous_date", previous ? std::optional(date_of(*previous)) : std::nullopt);
  f("has_previous", previous.has_value());
  f("snapshot_count", snapshots.size());
  REPORT_FIELDS(snapshots, summary, changes, findings);
  f("has_findings", !findings.empty());
  f("entries", entries);
  f("entry_count", entries.size());
  REPORT_FIELDS(total_chart, more_findings_count, more_entries_count);
  f("has_more_entries", more_entries_count > 0);
  // HTML and Markdown list the first k_more_entries_listed entries not shown in full; the JSON
  // report has every one.
  for (const auto format : {Format::html, Format::markdown}) {
    f.view(format, "more_entries_listed", [this] {
      std::vector<FindingEntry> out;
      for (const auto& e : entries) {
        if (!e.detailed && out.size() < k_more_entries_listed) {
          out.push_back(e);
        }
      }
      return out;
    });
    f.view(format, "more_entries_unlisted_count",
           [this] { return more_entries_count - std::min(more_entries_count, k_more_entries_listed); });
    f.view(format, "has_more_entries_unlisted", [this] { return more_entries_count > k_more_entries_listed; });
  }
  REPORT_FIELDS(trends, deprecations);
  f("has_deprecations", !deprecations.empty());
  f("has_deprecation_board", !deprecations.empty() || !schema_changes.dropped_deprecations.empty());
  REPORT_FIELDS(schema_changes, skipped);
  f("has_skipped", !skipped.empty());
  f("failed_check_count", failed.size());
  f("has_failed_checks", !failed.empty());
  f("failed_checks", failed);
  f("caveats", caveats);
  f("has_caveats", !caveats.empty());
  f("health", health);
  f.view(Format::html, "severity_chart", [this] { return trends.charts.front(); });
  const auto risks = top_risks();
  f("top_risks", risks);
  f("has_top_risks", !risks.empty());
}

template<typename Fields>
void
FleetRow::fields(Fields& f) const
{
  const char* trend = !has_previous ? "none" : delta > 0 ? "up" : delta < 0 ? "down" : "flat";
  f("index", index);
  f("anchor", fmt::format("db-{}", index));
  REPORT_FIELDS(name, latest_date, snapshot_count, total, by_severity, delta);
  f("delta_text", has_previous ? delta_text : "first snapshot");
  f("trend", trend);
  f("trend_arrow", !has_previous ? "\xE2\x80\x94" : delta > 0 ? "\xE2\x96\xB2" : delta < 0 ? "\xE2\x96\xBC" : "=");
  f("worst", worst);
  f("has_worst", worst.has_value());
  f("failed_check_count", failed_checks.size());
  f("has_failed_checks", !failed_checks.empty());
  REPORT_FIELDS(failed_checks, chart);
}

template<typename Fields>
void
Report::fields(Fields& f) const
{
  document_fields(f, k_schema_version, generated_at);
  f.view(Format::html, "generated_when", [this] { return minute_of(generated_at); });
  f("database_count", databases.size());
  f("multiple_databases", databases.size() > 1);
  REPORT_FIELDS(fleet, fleet_totals);
  // The printed pages' header: which database(s), from when.
  f.view(Format::html, "print_header_css", [this] {
    return css_string_content(databases.size() == 1
                                ? fmt::format("Schema audit: {}, audited {}", databases.front().name,
                                              date_of(databases.front().latest.taken_at))
                                : fmt::format("Schema audit: {} databases, {}", databases.size(), date_of(generated_at)));
  });
  REPORT_FIELDS(checks, databases);
}

} // namespace report
