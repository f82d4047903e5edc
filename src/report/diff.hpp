#pragma once

#include "model/snapshot.hpp"
#include "report/fields.hpp"
#include "report/schema_changes.hpp"
#include "report/finding_view.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace report {

// Version of the diff's JSON layout, its own since 3 (docs/report-json.md): bump on any
// incompatible change. 3: the report's words (new, fixed, worse, better) replaced appeared,
// disappeared and changed.
inline constexpr int k_diff_schema_version = 3;

// One side of a diff: a snapshot.
struct DiffSide
{
  std::int64_t id = 0;
  std::string name;
  std::string dbname;
  std::int64_t taken_at = 0;
  std::string server_version;
  std::size_t findings = 0;

  template<typename Fields>
  void fields(Fields& f) const;
};

// A finding as a diff lists it.
struct DiffFinding
{
  std::string fingerprint;
  std::string check_id;
  std::string category;
  model::Severity severity = model::Severity::medium;
  std::string object;
  std::string object_type;
  std::string message;

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(fingerprint, check_id, category);
    f("severity", model::to_string(severity));
    REPORT_FIELDS(object, object_type, message);
  }
};

// A measure of a finding that moved beyond its noise (report/measure_change.hpp).
struct DiffMeasure
{
  std::string key;
  std::string before;
  std::string after;

  REPORT_DESCRIBE(key, before, after)
};

// A finding on both sides that is worse, better, or whose fix changed: what moved, and its
// fix as a unified diff (util/line_diff.hpp) when the fix changed.
struct ComparedFinding
{
  DiffFinding finding;
  std::optional<std::string> severity_before; // when the severity changed
  std::optional<DiffMeasure> measure;         // the measure that grew (worse) or shrank (better)
  std::vector<std::string> fix_diff;          // "@@ ..", "-old", "+new", " kept"; empty: the same fix

  template<typename Fields>
  void fields(Fields& f) const
  {
    finding.fields(f);
    REPORT_FIELDS(severity_before, measure);
    f("moved_text", moved_text());
    f("fix_changed", !fix_diff.empty());
    f("fix_diff", fix_diff);
    f.view(Format::markdown, "fix_diff_block", [this] { return diff_block(); });
  }

  // What moved, for display: "severity high -> critical; usage_pct 92.0% -> 94.0%".
  std::string moved_text() const;

  // The fix diff as a fenced ```diff block of Markdown, for the Markdown template.
  std::string diff_block() const;
};

// A finding on one side only whose check did not run on the other.
struct NotCheckedDiff
{
  DiffFinding finding;
  model::SkippedCheck why;

  template<typename Fields>
  void fields(Fields& f) const
  {
    finding.fields(f);
    f("reason", why.reason);
    f("cause", model::to_string(why.cause));
  }
};

// The findings not checked on one side, by check: one line per check that did not run, and a
// few of its findings, rather than one line per finding (a check skipped at 10,000 schemas is
// 40,000 of them).
struct NotCheckedGroup
{
  std::string check_id;
  std::string reason;
  std::size_t count = 0;
  std::vector<DiffFinding> examples; // the first k_not_checked_examples, in the list's order

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(check_id, reason, count, examples);
    f("example_objects", example_objects());
    f("more", count - examples.size());
    f("has_more", count > examples.size());
  }
  // The examples' objects, comma-separated.
  std::string example_objects() const;
};

inline constexpr std::size_t k_not_checked_examples = 5;

// The groups of `items`, in the order their checks first appear.
std::vector<NotCheckedGroup> not_checked_groups(const std::vector<NotCheckedDiff>& items);

struct DiffCounts
{
  std::size_t new_count = 0;
  std::size_t fixed = 0;
  std::size_t worse = 0;
  std::size_t better = 0;
  std::size_t fix_changed = 0;
  std::size_t unchanged = 0;
  std::size_t not_checked = 0;
  std::size_t not_checked_before = 0;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("new", new_count);
    REPORT_FIELDS(fixed, worse, better, fix_changed, unchanged, not_checked, not_checked_before);
  }
};

// The checks without a result on each side.
struct NotRun
{
  std::vector<SkippedView> from;
  std::vector<SkippedView> to;

  REPORT_DESCRIBE(from, to)
};

// What changed from one snapshot to another, in the report's words: new, fixed, worse, better,
// not checked; and findings whose fix changed. A finding is matched by fingerprint and compared
// as the report compares it (compare_finding): severity, and measures beyond their noise;
// stamps, ages and messages tick with time and are not changes. A fix counts as changed when
// it differs in more than its numbers (counters and dates in it tick too).
struct Diff
{
  std::int64_t generated_at = 0;
  DiffSide from;
  DiffSide to;
  std::vector<DiffFinding> new_findings;    // only in `to`
  std::vector<DiffFinding> fixed;           // only in `from`, and its check ran in `to`
  std::vector<ComparedFinding> worse;       // on both sides
  std::vector<ComparedFinding> better;      // on both sides
  std::vector<ComparedFinding> fix_changed; // on both sides, neither worse nor better, another fix
  std::size_t unchanged = 0;
  std::vector<NotCheckedDiff> not_checked;        // only in `from`; its check did not run in `to`
  std::vector<NotCheckedDiff> not_checked_before; // only in `to`; its check did not run in `from`
  NotRun not_run;
  // The schema's changes recorded by the snapshots after `from` up to `to` (history/0008), and
  // whether both snapshots have a catalog (else the changes are unknown, not none).
  bool schema_catalog = false;
  std::vector<SchemaChangeLine> schema_changes;

  DiffCounts counts() const;
  // No finding differs and no schema change was recorded in between.
  bool identical() const;

  template<typename Fields>
  void fields(Fields& f) const;
};

// What changed from snapshot `from` to snapshot `to`; `unchanged_left_out` findings both hold
// unchanged are in neither's findings (model::HistoryStore::load_changed) and count as unchanged.
Diff build_diff(const model::Snapshot& from,
                const model::Snapshot& to,
                std::int64_t generated_at,
                std::size_t unchanged_left_out = 0);

template<typename Fields>
void
DiffSide::fields(Fields& f) const
{
  REPORT_FIELDS(id, name, dbname);
  f("taken_at", util::format_iso(taken_at));
  f("date", date_of(taken_at));
  REPORT_FIELDS(server_version, findings);
}

template<typename Fields>
void
Diff::fields(Fields& f) const
{
  document_fields(f, k_diff_schema_version, generated_at);
  REPORT_FIELDS(from, to);
  f("counts", counts());
  f("identical", identical());
  f("has_new", !new_findings.empty());
  f("has_fixed", !fixed.empty());
  f("has_worse", !worse.empty());
  f("has_better", !better.empty());
  f("has_fix_changed", !fix_changed.empty());
  f("has_not_checked", !not_checked.empty());
  f("has_not_checked_before", !not_checked_before.empty());
  f("new", new_findings);
  REPORT_FIELDS(fixed, worse, better, fix_changed, not_checked, not_checked_before, not_run, schema_catalog, schema_changes);
  f("not_checked_groups", not_checked_groups(not_checked));
  f("not_checked_before_groups", not_checked_groups(not_checked_before));
  f("has_schema_changes", !schema_changes.empty());
}

} // namespace report
