#pragma once

#include "model/history_store.hpp"
#include "model/snapshot.hpp"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace report {

// One snapshot as a trend report reads it: what it is, its finding totals, and the metrics the
// trends chart (those metric_requests() names).
struct SnapshotSummary
{
  model::SnapshotInfo info;
  std::vector<model::FindingTotal> totals;
  std::vector<model::Metric> metrics;
};

// One database's history as the report reads it: every snapshot summarised, the latest in
// full and the one before it light, so a report over dozens of snapshots of a large database
// never holds more than two snapshots' findings.
struct DatabaseHistory
{
  std::string name;
  std::vector<SnapshotSummary> snapshots; // oldest first; the last one is `latest`
  // Loaded from a store, with only the metrics of k_latest_metric_kinds.
  model::Snapshot latest;
  // Findings with fingerprint, check id, category, severity, effort, object and object type;
  // loaded from a store, less those it holds unchanged in the latest (unchanged_in_previous),
  // and their evidence in its spill.
  std::optional<model::Snapshot> previous;
  // The fingerprints of the findings `previous` holds in the very state of the latest
  // (every field equal), left out of previous->findings; empty when built from full snapshots.
  model::FingerprintSet unchanged_in_previous;
  model::FingerprintAges ages; // every fingerprint of the history
  // Per fingerprint of trend_fingerprints(latest): its evidence "usage_pct" in every snapshot.
  std::unordered_map<std::string, std::vector<std::optional<double>>> usage_pct;
  // The schema's history: the catalog's changes at each snapshot that has a catalog (oldest
  // first; the first one is the baseline) and its object counts by kind, by snapshot id.
  std::vector<model::SnapshotChanges> catalog_changes;
  std::map<std::int64_t, std::map<std::string, std::int64_t>> catalog_counts;
};

// The metrics of the latest snapshot a report reads: the tables' sizes (the trends' largest
// tables, trends.cpp) and the replicas an audit could not read (a caveat, model.cpp).
inline const std::vector<model::HistoryStore::MetricKind> k_latest_metric_kinds{{"table", "size_bytes"},
                                                                                {"database", "replicas_missed"}};

// The history of `name` from its full snapshots, oldest first (tests, the template sample).
DatabaseHistory history_of(std::string name, std::vector<model::Snapshot> snapshots);

// The history of `name` read from `store`; an empty one (no snapshots) when it has none.
DatabaseHistory load_history(const model::HistoryStore& store, const std::string& name);

} // namespace report
