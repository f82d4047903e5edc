#pragma once

#include "model/finding.hpp"
#include "model/snapshot.hpp"
#include "model/snapshot.hpp"
#include "store/history_store.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace store {

// The history file (the default HistoryStore): SQLite in WAL mode, migrated from history/ on open. Every write is one
// transaction, so a crash leaves either the whole snapshot or none. All errors are
// util::Fatal(history) with a message that says what to do.
class History final : public model::HistoryStore
{
public:
  // read_write creates the file when missing; read_only requires it.
  History(const std::filesystem::path& path, Mode mode);
  ~History() override;
  History(History&&) noexcept;
  History& operator=(History&&) noexcept;

  // Schema version this build writes (number of history/ migrations).
  static int current_version();

  // Stores `result` as a snapshot of target `name`; returns its id.
  std::int64_t save(const model::AuditResult& result, const std::string& name) override;

  // Snapshots oldest first; of target `name` only when given.
  std::vector<model::SnapshotInfo> list(const std::optional<std::string>& name = std::nullopt) const override;
  std::vector<std::string> target_names() const override;
  model::Snapshot load(std::int64_t snapshot_id) const override;

  // What history-aware checks need from the latest snapshot of `name`, if there is one.
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
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace store
