#include "store/history_import.hpp"

#include <algorithm>
#include <cstdio>

namespace store {

namespace {

// The audit a stored snapshot came from, as far as the history keeps it.
model::AuditResult
audit_of(model::Snapshot snapshot)
{
  model::AuditResult result;
  const auto& info = snapshot.info;
  result.target = model::Target{info.host, info.port, info.dbname, ""};
  result.capabilities.server_version = info.server_version;
  int major = 0;
  int minor = 0;
  std::sscanf(info.server_version.c_str(), "%d.%d", &major, &minor);
  result.capabilities.server_version_num = major * 10000 + minor;
  result.capabilities.stats_reset = info.stats_reset;
  result.taken_at = info.taken_at;
  result.findings = std::move(snapshot.findings);
  result.skipped = std::move(snapshot.skipped);
  for (const auto& m : snapshot.metrics) {
    result.metrics.push_back(m);
  }
  return result;
}

} // namespace

ImportCount
import_snapshots(const model::HistoryStore& from, model::HistoryStore& into)
{
  ImportCount count;
  for (const auto& info : from.list()) {
    const auto there = into.list(info.target_name);
    if (std::any_of(there.begin(), there.end(), [&](const model::SnapshotInfo& s) { return s.taken_at == info.taken_at; })) {
      ++count.already_there;
      continue;
    }
    auto result = audit_of(from.load(info.id));
    // A recovery file holds one snapshot per target: its catalog goes along, compared with the
    // history's latest catalog of the target as any audit's is.
    const auto of_target = from.list(info.target_name);
    if (!of_target.empty() && of_target.back().id == info.id && from.catalog_counts(info.target_name).count(info.id)) {
      result.catalog = std::make_shared<const model::AuditCatalog>(from.latest_catalog(info.target_name));
    }
    into.save(result, info.target_name);
    ++count.imported;
  }
  return count;
}

} // namespace store
