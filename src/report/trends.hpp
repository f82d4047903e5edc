#pragma once

#include "report/model.hpp"

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

// The date of each snapshot of `db`, oldest first.
std::vector<std::string> snapshot_labels(const DatabaseHistory& db);

} // namespace report
