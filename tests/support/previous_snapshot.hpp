#pragma once

#include "audit/runner.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace test {

// What the history would hand the next audit after storing `result`: its time, stats_reset and
// metrics, and the first-seen time of each of its findings.
model::PreviousSnapshot previous_from(const model::AuditResult& result);

// The value of metric `metric` of `object` in `result`, if the audit produced it.
std::optional<double> metric_value(const model::AuditResult& result,
                                   const std::string& object_type,
                                   const std::string& object,
                                   const std::string& metric);

inline constexpr std::int64_t k_day_seconds = 86400;

} // namespace test
