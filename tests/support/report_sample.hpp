#pragma once

#include "report/diff.hpp"
#include "report/history.hpp"
#include "report/model.hpp"

#include <vector>

namespace test {

// A small history that fills every list of the report, with real check ids and categories:
// two databases, one with three snapshots (new, fixed, worse and better findings, bloat, unused
// indexes, a sequence filling up, a deprecated object, a skipped check and a failed one, a
// recent stats reset), one with one.
std::vector<report::DatabaseHistory> report_sample();

// The diff of the first database's last two snapshots of report_sample().
report::Diff report_sample_diff();

// Report options with the embedded checks and the audit's default stats_min_age_days.
report::ModelOptions report_options();

} // namespace test
