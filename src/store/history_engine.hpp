#pragma once

#include "store/sql_backend.hpp"

#include <memory>

namespace store {

// The history (model::HistoryStore) in either database: every query written once, over a
// SqlBackend that opens, migrates and locks its database and spells what SQLite and PostgreSQL
// do not share. The finding columns come from model::k_finding_fields.
class HistoryEngine final : public model::HistoryStore
{
public:
  explicit HistoryEngine(std::unique_ptr<SqlBackend> backend);

  std::int64_t save(const model::AuditResult& result, const std::string& name) override;
  std::vector<model::SnapshotInfo> list(const std::optional<std::string>& name = std::nullopt) const override;
  std::vector<std::string> target_names() const override;
  model::Snapshot load(std::int64_t snapshot_id) const override;
  model::Snapshot load_with_metrics(std::int64_t snapshot_id, const std::vector<MetricKind>& kinds) const override;
  ChangedPair load_changed(std::int64_t from_id, std::int64_t to_id) const override;
  std::optional<model::PreviousSnapshot> previous(const std::string& name) const override;
  model::Snapshot load_light(const model::SnapshotInfo& info) const override;
  LightChanged load_light_changed(const model::SnapshotInfo& info, std::int64_t other_id) const override;
  std::vector<SnapshotTotal> finding_totals(const std::string& name) const override;
  model::FingerprintAges fingerprint_ages(const std::string& name) const override;
  std::vector<EvidenceRow> evidence_values(const std::string& name,
                                           const std::vector<std::string>& fingerprints,
                                           const std::string& key) const override;
  std::vector<MetricRow> metric_rows(const std::string& name,
                                     const std::string& object_type,
                                     const std::string& metric,
                                     const std::vector<std::string>& objects) const override;
  std::vector<model::SnapshotChanges> catalog_changes(const std::string& name) const override;
  std::map<std::int64_t, std::map<std::string, std::int64_t>> catalog_counts(const std::string& name) const override;
  model::Catalog latest_catalog(const std::string& name) const override;

private:
  std::unique_ptr<SqlBackend> m_backend;
};

} // namespace store
