#pragma once

#include "model/check.hpp"
#include "report/chart.hpp"
#include "report/history.hpp"
#include "report/html_text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace report {

// Findings of one category in every snapshot.
struct CategoryTrend
{
  std::string category;
  Values values;
  std::int64_t first = 0;
  std::optional<std::int64_t> previous; // none with a single snapshot
  std::int64_t latest = 0;
  std::string delta_text;
  std::string direction; // up, down or flat
  std::string spark;
  Chart chart;

  REPORT_DESCRIBE(category, values, first, previous, latest, delta_text, direction, spark, chart)
};

// A sequence (or integer key) filling up: its usage per snapshot and when it runs out.
struct SequenceTrend
{
  std::string object;
  std::string object_type;
  Values values; // usage in percent
  double usage_pct = 0;
  std::string usage_text;
  std::optional<double> growth_pct_per_quarter;
  std::string growth_text;
  std::optional<std::string> exhaustion_date;
  std::optional<int> days_left; // to the exhaustion date, from the latest snapshot
  std::string projection;
  Chart chart;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("object", object);
    f.view(Format::html, "object_html", [this] { return wrappable_html(object); });
    REPORT_FIELDS(object_type, values, usage_pct, usage_text, growth_pct_per_quarter, growth_text,
                  exhaustion_date, days_left, projection, chart);
  }
};

// Scans of an index with a finding, between consecutive snapshots.
struct IndexUsage
{
  std::string object;
  Values deltas; // one fewer than the snapshots
  double scans_total = 0;
  std::optional<double> last_delta;
  bool stats_reset_seen = false;
  Chart chart;

  template<typename Fields>
  void fields(Fields& f) const
  {
    f("object", object);
    f.view(Format::html, "object_html", [this] { return wrappable_html(object); });
    REPORT_FIELDS(deltas, scans_total, last_delta, stats_reset_seen, chart);
  }
};

// The trends of one database over all its snapshots.
struct Trends
{
  bool has_trends = false; // at least two snapshots
  std::vector<std::string> labels;
  // findings by severity, unused index size, bloat, database size, the largest tables
  std::vector<Chart> charts;
  std::vector<CategoryTrend> categories;
  std::vector<SequenceTrend> sequences;
  std::vector<IndexUsage> index_usage; // the suspect indexes scanned in some period
  // Suspect indexes with scan counts and not one scan in any period: named, not charted.
  std::vector<std::string> unscanned_indexes;

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(has_trends, labels, charts, categories, sequences);
    f("has_sequences", !sequences.empty());
    f("index_usage", index_usage);
    f("has_index_usage", !index_usage.empty());
    f("unscanned_indexes", unscanned_indexes);
    f("has_unscanned_indexes", !unscanned_indexes.empty());
    // The HTML draws the charts with data and names the others in one line, with the reason.
    f.view(Format::html, "charts_drawn", [this] { return charts_where(true); });
    f.view(Format::html, "charts_not_drawn", [this] { return charts_where(false); });
    f.view(Format::html, "has_charts_not_drawn", [this] { return !charts_where(false).empty(); });
  }

  std::vector<Chart> charts_where(bool has_data) const
  {
    std::vector<Chart> out;
    for (const auto& c : charts) {
      if (c.has_data == has_data) {
        out.push_back(c);
      }
    }
    return out;
  }
};

// The trends of `db`. The charts of evidence sums take the categories of the checks of
// `checks` whose header names them ("-- trend:").
Trends build_trends(const DatabaseHistory& db, const std::vector<model::CheckDef>& checks);

// A series of metric values the trends need from every snapshot of a database: `metric` of
// the objects of `object_type`, only `objects` when not empty.
struct MetricRequest
{
  std::string object_type;
  std::string metric;
  std::vector<std::string> objects;
};

// What the trends read from older snapshots' metrics, decided from the latest snapshot:
// database size, the largest tables' sizes, sequence usage, scans of suspect indexes.
std::vector<MetricRequest> metric_requests(const model::Snapshot& latest);

// The findings of the latest snapshot whose evidence "usage_pct" the trends chart over every
// snapshot (sequences and keys nearing overflow), fix-first order, one per object.
std::vector<std::string> trend_fingerprints(const model::Snapshot& latest);

// The date of each snapshot of `db`, oldest first.
std::vector<std::string> snapshot_labels(const DatabaseHistory& db);

} // namespace report
