#pragma once

#include "model/finding.hpp"
#include "model/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace report {

// A finding as the report model shows it: its fields plus "evidence_items" (label/value pairs,
// sizes made readable) and "evidence_text" (the same on one line).
nlohmann::json finding_json(const model::Finding& finding);

// The stored fields of `finding` as JSON (what `audit --format json` prints per finding);
// finding_json adds the view fields the templates use.
nlohmann::json finding_fields_json(const model::Finding& finding);

// What a one-line listing of `finding` shows: check, severity, object and message, without
// fingerprint, schema, evidence, remediation and undo (finding_fields_json adds those).
nlohmann::json finding_listing_json(const model::Finding& finding);

// [{"severity": "critical", "count": n}, ...] from critical down to info.
nlohmann::json severity_counts(const std::vector<model::Finding>& findings);
nlohmann::json severity_counts(const std::vector<model::FindingTotal>& totals);

// A check without a result: {"check_id", "reason", "cause", "failed"} (failed: it started and
// did not finish, as opposed to an unmet need).
nlohmann::json skipped_json(const model::SkippedCheck& skipped);

// The checks without a result in a snapshot, by id: their findings are "not checked" there.
std::unordered_map<std::string_view, const model::SkippedCheck*> not_run_checks(const model::Snapshot& snapshot);

// "2026-03-31" from epoch seconds.
std::string date_of(std::int64_t epoch);

} // namespace report
