#pragma once

#include "report/history.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace report {

// The "trends" object of one database: charts over all its snapshots (findings by severity,
// unused index size, bloat, database and largest-table growth), findings per category,
// sequences near overflow with projected exhaustion dates, and scan deltas of suspect indexes.
// Every chart is an object {"kind", "unit", "labels", "series": [{"values": [...]}], ...}.
nlohmann::json trends_json(const DatabaseHistory& db);

// The inline SVG of a chart object of the model ("kind": line, bar or sparkline).
std::string chart_svg(const nlohmann::json& chart);

// A sparkline chart object of `values`.
// `labels`: the snapshot dates under the values (see snapshot_labels).
nlohmann::json sparkline_json(const std::string& title, const std::vector<std::optional<double>>& values,
                              std::vector<std::string> labels);

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
