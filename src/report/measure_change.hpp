#pragma once

#include "model/finding.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace report {

// A measured value of a finding's evidence that grew between two snapshots by more than its
// noise, where more is worse (usage of a type's range, bloat, size, dead rows): the finding is
// worse even when its severity is not.
struct MeasureChange
{
  std::string key;    // the evidence key, e.g. "usage_pct"
  std::string before; // as the report shows it ("92.1", "1.2 GB")
  std::string after;
};

// The first measure (in a fixed order of keys) that grew beyond its threshold from `before` to
// `after` (two findings' evidence), or nullopt: usage_pct and the *_pct keys by at least one or
// five points, sizes and dead rows by at least 10% and 1 MiB or 1,000 rows.
std::optional<MeasureChange> measure_worsened(const nlohmann::json& before, const nlohmann::json& after);

// The first measure that shrank beyond its threshold from `before` to `after` (the same
// thresholds, from the smaller value), or nullopt.
std::optional<MeasureChange> measure_improved(const nlohmann::json& before, const nlohmann::json& after);

// Which way a finding went between two snapshots.
enum class Direction { same, worse, better };

// How a finding compares with the same finding (same fingerprint) of an earlier snapshot, the
// way the report judges it: a higher severity is worse and a lower one better; at the same
// severity a measure that grew beyond its noise (measure_worsened) is worse. Nothing else
// counts: messages, stamps, ages and other evidence tick with time.
struct FindingComparison
{
  Direction direction = Direction::same;
  std::optional<model::Severity> severity_before; // when the severity changed
  std::optional<MeasureChange> measure;           // the measure that grew (worse) or shrank (better)
};

FindingComparison compare_finding(const model::Finding& before, const model::Finding& after);

} // namespace report
