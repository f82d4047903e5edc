#pragma once

#include "audit/registry.hpp"
#include "audit/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace report {

// Version of the JSON report layout; bump on any incompatible change (docs/report-json.md).
inline constexpr int k_schema_version = 1;

// One database's snapshots, oldest first. Only the latest needs its messages, remediation and
// all its metrics; older ones may be loaded light (see store::History::load_light): trends read
// their findings' fingerprint, check, category, severity, object and numeric evidence, and the
// metrics that metric_requests() names.
struct DatabaseHistory
{
  std::string name;
  std::vector<audit::Snapshot> snapshots;
};

struct ModelOptions
{
  // Titles and rationales of the checks ("why it matters"); none when null.
  const audit::Registry* registry = nullptr;
  // How many findings the HTML and Markdown show in full; the rest are listed compactly.
  std::size_t detail_limit = 50;
};

// The report's data: everything the templates lay out and the JSON output holds. All numbers
// and series are computed here; templates only place them.
nlohmann::json build_model(const std::vector<DatabaseHistory>& databases,
                           std::int64_t generated_at,
                           const ModelOptions& options = {});

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
std::vector<MetricRequest> metric_requests(const audit::Snapshot& latest);

// Evidence keys the trends read from older snapshots' findings.
const std::vector<std::string>& trend_evidence_keys();

// What appeared, disappeared and changed from snapshot `from` to snapshot `to`.
nlohmann::json build_diff(const audit::Snapshot& from, const audit::Snapshot& to, std::int64_t generated_at);

} // namespace report
