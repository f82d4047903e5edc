#pragma once

#include "model/finding_fields.hpp"
#include "store/sql_backend.hpp"

#include <functional>
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
  std::optional<model::PreviousSnapshot> previous(const std::string& name) const override;
  model::Snapshot load_light(const model::SnapshotInfo& info) const override;
  std::vector<SnapshotTotal> finding_totals(const std::string& name) const override;
  model::FingerprintAges fingerprint_ages(const std::string& name) const override;
  std::vector<EvidenceRow> evidence_values(const std::string& name,
                                           const std::vector<std::string>& fingerprints,
                                           const std::string& key) const override;
  std::vector<MetricRow> metric_rows(const std::string& name,
                                     const std::string& object_type,
                                     const std::string& metric,
                                     const std::vector<std::string>& objects) const override;

private:
  // The steps of save(), in the order it takes them, all in one write transaction.
  std::int64_t save_target(const model::Target& target, const std::string& name);
  std::int64_t save_snapshot(const model::AuditResult& result, std::int64_t target_id);
  void save_findings(const std::vector<model::Finding>& all, std::int64_t snapshot_id);
  void save_finding_totals(const std::vector<model::Finding>& findings, std::int64_t snapshot_id);
  void save_fingerprint_ages(const std::vector<model::Finding>& findings, std::int64_t target_id, std::int64_t taken_at);
  void save_skipped_checks(const std::vector<model::SkippedCheck>& skipped, std::int64_t snapshot_id);
  void save_metrics(const std::vector<model::Metric>& metrics, std::int64_t snapshot_id);

  // The findings of snapshot `snapshot_id` with the fields of k_finding_fields that `wanted` keeps.
  std::vector<model::Finding> findings_of(std::int64_t snapshot_id,
                                          std::size_t expected,
                                          bool (*wanted)(const model::FindingField&)) const;
  std::vector<model::SkippedCheck> skipped_checks(std::int64_t snapshot_id) const;
  // Each metric of snapshot `snapshot_id`, given to `take`.
  void each_metric(std::int64_t snapshot_id, const std::function<void(model::Metric&&)>& take) const;

  std::unique_ptr<SqlBackend> m_backend;
};

} // namespace store
