#pragma once

#include "report/model.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace report {

// A small made-up history that fills every list of the report model: two databases, one with
// three snapshots (new, fixed, worse and better findings, bloat, unused indexes, a sequence
// filling up, a deprecated object, a skipped check, a recent stats reset), one with one.
std::vector<DatabaseHistory> sample_history();

// build_model() of sample_history(), and build_diff() of its first database's last two
// snapshots: the shapes templates are validated against, so a name that only appears inside
// a list that happens to be empty in a real report is still checked.
const nlohmann::json& sample_model();
const nlohmann::json& sample_diff();

} // namespace report
