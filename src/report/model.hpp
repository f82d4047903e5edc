#pragma once

#include "model/check.hpp"
#include "model/snapshot.hpp"
#include "report/history.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace report {

// Version of the JSON report layout; bump on any incompatible change (docs/report-json.md).
inline constexpr int k_schema_version = 2;

struct ModelOptions
{
  // Titles and rationales of the checks ("why it matters"); none when null.
  const std::vector<model::CheckDef>* checks = nullptr;
  // How many findings the HTML and Markdown show in full; the rest are listed compactly.
  std::size_t detail_limit = 50;
  // Whether the findings past detail_limit carry every field (the JSON report) or only what
  // their listing row shows (finding_listing_json: HTML and Markdown, where thousands of
  // compactly listed findings would otherwise cost most of the rendering time).
  bool full_listing = true;
};

// The report's data: everything the templates lay out and the JSON output holds. All numbers
// and series are computed here; templates only place them.
nlohmann::json build_model(const std::vector<DatabaseHistory>& databases,
                           std::int64_t generated_at,
                           const ModelOptions& options = {});

// What appeared, disappeared and changed from snapshot `from` to snapshot `to`.
nlohmann::json build_diff(const model::Snapshot& from, const model::Snapshot& to, std::int64_t generated_at);

} // namespace report
