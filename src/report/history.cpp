#include "report/history.hpp"

#include "model/evidence.hpp"
#include "report/trends.hpp"

#include <algorithm>
#include <unordered_set>

namespace report {

namespace {

// Whether `m` is one of the metrics `requests` name.
bool
requested(const model::Metric& m, const std::vector<MetricRequest>& requests)
{
  return std::any_of(requests.begin(), requests.end(), [&](const MetricRequest& r) {
    return r.object_type == m.object_type && r.metric == m.metric
           && (r.objects.empty() || std::find(r.objects.begin(), r.objects.end(), m.object) != r.objects.end());
  });
}

} // namespace

DatabaseHistory
history_of(std::string name, std::vector<model::Snapshot> snapshots)
{
  DatabaseHistory db;
  db.name = std::move(name);
  if (snapshots.empty()) {
    return db;
  }
  const auto requests = metric_requests(snapshots.back());
  const auto fingerprints = trend_fingerprints(snapshots.back());
  const std::unordered_set<std::string> wanted(fingerprints.begin(), fingerprints.end());
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const auto& snap = snapshots[i];
    SnapshotSummary summary{snap.info, model::finding_totals(snap.findings), {}};
    summary.info.finding_count = snap.findings.size();
    summary.info.skipped_count = snap.skipped.size();
    for (const auto& m : snap.metrics) {
      if (requested(m, requests)) {
        summary.metrics.push_back(m);
      }
    }
    db.snapshots.push_back(std::move(summary));
    for (const auto& f : snap.findings) {
      db.ages.add(f.fingerprint, model::FingerprintAge{snap.info.taken_at, 1});
      if (wanted.count(f.fingerprint)) {
        if (const auto usage = model::evidence_number(f.evidence, "usage_pct")) {
          auto& values = db.usage_pct[f.fingerprint];
          values.resize(snapshots.size());
          values[i] = *usage;
        }
      }
    }
  }
  db.ages.sort();
  // Summarised above; the latest and the one before it are kept whole.
  if (snapshots.size() > 1) {
    db.previous = std::move(snapshots[snapshots.size() - 2]);
  }
  db.latest = std::move(snapshots.back());
  return db;
}

DatabaseHistory
load_history(const model::HistoryStore& store, const std::string& name)
{
  DatabaseHistory db;
  db.name = name;
  const auto infos = store.list(name);
  if (infos.empty()) {
    return db;
  }
  std::unordered_map<std::int64_t, std::size_t> position;
  for (std::size_t i = 0; i < infos.size(); ++i) {
    db.snapshots.push_back(SnapshotSummary{infos[i], {}, {}});
    position[infos[i].id] = i;
  }
  db.latest = store.load_with_metrics(infos.back().id, k_latest_metric_kinds);
  if (infos.size() > 1) {
    auto previous = store.load_light_changed(infos[infos.size() - 2], infos.back().id);
    db.previous = std::move(previous.snapshot);
    db.unchanged_in_previous = std::move(previous.unchanged);
  }
  for (auto& row : store.finding_totals(name)) {
    if (const auto it = position.find(row.snapshot_id); it != position.end()) {
      db.snapshots[it->second].totals.push_back(std::move(row.total));
    }
  }
  db.ages = store.fingerprint_ages(name);
  db.catalog_changes = store.catalog_changes(name);
  db.catalog_counts = store.catalog_counts(name);
  for (const auto& row : store.evidence_values(name, trend_fingerprints(db.latest), "usage_pct")) {
    if (const auto it = position.find(row.snapshot_id); it != position.end()) {
      auto& values = db.usage_pct[row.fingerprint];
      values.resize(infos.size());
      values[it->second] = row.value;
    }
  }
  for (const auto& request : metric_requests(db.latest)) {
    for (auto& row : store.metric_rows(name, request.object_type, request.metric, request.objects)) {
      if (const auto it = position.find(row.snapshot_id); it != position.end()) {
        db.snapshots[it->second].metrics.push_back(
          model::Metric{request.object_type, std::move(row.object), request.metric, row.value});
      }
    }
  }
  return db;
}

} // namespace report
