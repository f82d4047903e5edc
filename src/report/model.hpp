#pragma once

#include "audit/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace report {

// Version of the JSON report layout; bump on any incompatible change (docs/report-json.md).
inline constexpr int k_schema_version = 1;

// One database's snapshots, oldest first.
struct DatabaseHistory
{
  std::string name;
  std::vector<audit::Snapshot> snapshots;
};

// The report's data: everything the templates lay out and the JSON output holds. All numbers
// and series are computed here; templates only place them.
nlohmann::json build_model(const std::vector<DatabaseHistory>& databases, std::int64_t generated_at);

} // namespace report
