#pragma once

#include "model/snapshot.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace model {

// Where snapshots are kept: a SQLite file (the default) or a PostgreSQL database shared by a
// team, both through one engine (store/history_engine.hpp, opened by store::open_history). Both
// apply the same numbered migrations (history/), write each snapshot in one transaction and
// report every failure as util::Fatal(history) with a message that says what to do. Not
// thread-safe: callers that share one store between threads serialise their calls.
class HistoryStore
{
public:
  enum class Mode { read_only, read_write };

  virtual ~HistoryStore() = default;

  // Stores `result` as a snapshot of target `name`; returns its id. A fingerprint repeated in
  // `result` is stored once (its first finding).
  virtual std::int64_t save(const AuditResult& result, const std::string& name) = 0;

  // Snapshots oldest first; of target `name` only when given.
  virtual std::vector<SnapshotInfo> list(const std::optional<std::string>& name = std::nullopt) const = 0;
  virtual std::vector<std::string> target_names() const = 0;
  virtual Snapshot load(std::int64_t snapshot_id) const = 0;

  // A kind of metric: "size_bytes" of "table".
  struct MetricKind
  {
    std::string object_type;
    std::string metric;
  };
  // The snapshot as load() reads it, with only the metrics of `kinds`: a report reads a few
  // kinds of the 100,000 and more metrics a large database's snapshot holds. Its findings'
  // words and evidence are in its spill (Snapshot::spill, whose whole() reads one back).
  virtual Snapshot load_with_metrics(std::int64_t snapshot_id, const std::vector<MetricKind>& kinds) const = 0;

  // Two snapshots as a comparison (diff) reads them: info, skipped checks and the findings that
  // are not the same in both, their words and evidence in each one's spill. A finding both hold
  // unchanged (one stored state) is left out of both and counted in `unchanged`, so that two large
  // snapshots alike cost what changed; info.finding_count keeps each one's count. No metrics.
  struct ChangedPair
  {
    Snapshot from;
    Snapshot to;
    std::size_t unchanged = 0;
  };
  virtual ChangedPair load_changed(std::int64_t from_id, std::int64_t to_id) const = 0;

  // What history-aware checks need from the latest snapshot of `name`, if there is one.
  virtual std::optional<PreviousSnapshot> previous(const std::string& name) const = 0;

  // What trend reports over many snapshots read (report::load_history), so that they never
  // load every finding of every snapshot:

  // The snapshot `info` (from list()) with findings that carry only the fields
  // k_finding_fields marks light (fingerprint, check id, category, severity, effort, object,
  // object type), and its skipped checks (a report must not count the findings of a check that
  // did not run as fixed); no evidence or metrics.
  virtual Snapshot load_light(const SnapshotInfo& info) const = 0;

  // The snapshot `info` light (as load_light reads it, the evidence in its spill) less the
  // findings that snapshot `other_id` holds in the same stored state (every field equal), whose
  // fingerprints are kept in a set instead: a report of two large snapshots alike holds what
  // changed.
  struct LightChanged
  {
    Snapshot snapshot;
    FingerprintSet unchanged;
  };
  virtual LightChanged load_light_changed(const SnapshotInfo& info, std::int64_t other_id) const = 0;

  // The finding totals of every snapshot of `name`.
  struct SnapshotTotal
  {
    std::int64_t snapshot_id = 0;
    FindingTotal total;
  };
  virtual std::vector<SnapshotTotal> finding_totals(const std::string& name) const = 0;

  // First sighting and number of snapshots of every fingerprint in the history of `name`.
  virtual FingerprintAges fingerprint_ages(const std::string& name) const = 0;

  // The numeric evidence `key` of the findings with `fingerprints` in every snapshot of `name`.
  struct EvidenceRow
  {
    std::int64_t snapshot_id = 0;
    std::string fingerprint;
    double value = 0;
  };
  virtual std::vector<EvidenceRow> evidence_values(const std::string& name,
                                                   const std::vector<std::string>& fingerprints,
                                                   const std::string& key) const = 0;

  // `metric` of the objects of `object_type` (only `objects` when not empty) in every snapshot
  // of target `name`, oldest first.
  struct MetricRow
  {
    std::int64_t snapshot_id = 0;
    std::string object;
    double value = 0;
  };
  virtual std::vector<MetricRow> metric_rows(const std::string& name,
                                             const std::string& object_type,
                                             const std::string& metric,
                                             const std::vector<std::string>& objects) const = 0;

  // The schema's history (history/0008): what changed in the catalog at each snapshot of `name`
  // that has a catalog, oldest first. The first such snapshot is the baseline: nothing changed
  // there, the catalog starts there. Empty when no snapshot of `name` has a catalog. A snapshot
  // audited on another major than the one before says so, its views' definition hashes not
  // compared (model::read_across_upgrades).
  virtual std::vector<SnapshotChanges> catalog_changes(const std::string& name) const = 0;

  // The number of objects of each kind (k_catalog_kinds) at each snapshot of `name` that has a
  // catalog: kind -> objects, by snapshot id.
  virtual std::map<std::int64_t, std::map<std::string, std::int64_t>> catalog_counts(const std::string& name) const = 0;

  // The catalog of the latest snapshot of `name` that has one (empty when none has).
  virtual Catalog latest_catalog(const std::string& name) const = 0;

};

} // namespace model
