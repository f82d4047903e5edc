#pragma once

#include "audit/finding.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace audit {

// A stored audit, as the history keeps it and reports read it.
struct SnapshotInfo
{
  std::int64_t id = 0;
  std::string target_name;
  std::string host;
  std::string port;
  std::string dbname;
  std::int64_t taken_at = 0;
  std::string server_version;
  std::optional<std::string> stats_reset;
  std::size_t finding_count = 0;
  std::size_t skipped_count = 0;
};

struct Snapshot
{
  SnapshotInfo info;
  std::vector<Finding> findings;
  std::vector<SkippedCheck> skipped;
  std::vector<Metric> metrics;
};

} // namespace audit
