#pragma once

#include "store/history_store.hpp"

#include <memory>
#include <string>

namespace store {

// The history in a PostgreSQL database shared by a team (--history postgresql://... or
// "host=... dbname=..."): the tables of history/postgresql/ in schema schema_audit, migrated
// on open under an advisory lock, one transaction per snapshot. The connection is a normal
// read-write one to the HISTORY database, never to an audited target.
class PgHistory final : public model::HistoryStore
{
public:
  // read_write creates the schema when missing; read_only requires it.
  PgHistory(const std::string& conninfo, Mode mode);
  ~PgHistory() override;

  // Schema version this build writes (number of history/postgresql/ migrations).
  static int current_version();

  // Tries three times when the server closes the connection meanwhile (reconnecting each
  // time), once when a statement is refused.
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
  // One try at save(): one transaction, rolled back when anything fails.
  std::int64_t save_once(const model::AuditResult& result, const std::string& name);

  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace store
