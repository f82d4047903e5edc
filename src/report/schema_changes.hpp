#pragma once

#include "model/catalog.hpp"
#include "report/chart.hpp"
#include "report/fields.hpp"
#include "report/history.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace report {

// One change of the schema as the outputs list it.
struct SchemaChangeLine
{
  // added, dropped, renamed, altered; upgraded (kind server: the server's major changed) and
  // not_compared (kind view: the views whose definition the new server prints anew, a count)
  std::string change;
  std::string kind; // table, column, index, ...
  std::string object;
  std::string text; // model::describe(), and on the drop of a deprecated_* object the days since its rename
  bool notable = false;
  std::optional<std::int64_t> deprecated_days;

  REPORT_DESCRIBE(change, kind, object, text, notable, deprecated_days)
};

// The schema changes of one period: a quarter of the report.
struct SchemaChangePeriod
{
  std::string period; // "2024 Q3"
  std::string first_date;
  std::string last_date; // of the snapshots with changes in it
  std::int64_t added = 0;
  std::int64_t dropped = 0;
  std::int64_t renamed = 0;
  std::int64_t altered = 0;
  std::vector<SchemaChangeLine> changes; // the notable ones first (drops, type changes, new tables)

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(period, first_date, last_date, added, dropped, renamed, altered);
    f("total", changes.size());
    f("changes", changes);
    // HTML and Markdown list the first k_changes_listed; the JSON report has every one.
    for (const auto format : {Format::html, Format::markdown}) {
      f.view(format, "changes_listed", [this] {
        return std::vector<SchemaChangeLine>(changes.begin(), changes.begin() + static_cast<std::ptrdiff_t>(listed()));
      });
      f.view(format, "changes_unlisted_count", [this] { return changes.size() - listed(); });
      f.view(format, "has_changes_unlisted", [this] { return changes.size() > listed(); });
    }
  }

  static constexpr std::size_t k_changes_listed = 50;
  std::size_t listed() const { return std::min(changes.size(), k_changes_listed); }
};

// An object renamed to deprecated_* and later dropped, with the days between, read from the
// catalog's changes.
struct DroppedDeprecation
{
  std::string kind;
  std::string object;
  std::string original;
  std::string renamed_date;
  std::string dropped_date;
  std::int64_t days = 0;

  REPORT_DESCRIBE(kind, object, original, renamed_date, dropped_date, days)
};

// The schema's evolution as the report shows it (history/0008).
struct SchemaChanges
{
  bool has_catalog = false;
  std::string baseline_date; // the first snapshot with a catalog: the catalog starts there
  bool earlier_snapshots = false; // snapshots before the baseline have no catalog
  std::vector<SchemaChangePeriod> quarters; // newest first; quarters without a change left out
  Chart object_counts;                      // objects of each kind per snapshot
  std::vector<DroppedDeprecation> dropped_deprecations;
  // Objects still named deprecated_*: label -> when they were renamed (epoch seconds).
  std::vector<model::DeprecationSpan> open_deprecations;

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(has_catalog, baseline_date, earlier_snapshots, quarters);
    f("has_quarters", !quarters.empty());
    REPORT_FIELDS(object_counts, dropped_deprecations);
    f("has_dropped_deprecations", !dropped_deprecations.empty());
  }
};

// The lines of one snapshot's changes, in their stored order; a drop of an object renamed to
// deprecated_* in `spans` says how many days after the rename it came.
std::vector<SchemaChangeLine> change_lines(const model::SnapshotChanges& snapshot,
                                           const std::vector<model::DeprecationSpan>& spans);

// The schema changes of `db` (its catalog_changes and catalog_counts, loaded with it).
SchemaChanges schema_changes(const DatabaseHistory& db);

// "indexes" of "index", "tables" of "table": the name of several objects of `kind`.
std::string kinds_of(std::string_view kind);

// "2024 Q3" of `epoch`.
std::string quarter_of(std::int64_t epoch);

} // namespace report
