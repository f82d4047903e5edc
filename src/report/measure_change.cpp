#include "report/measure_change.hpp"

#include "model/evidence.hpp"
#include "report/finding_view.hpp"

#include <array>
#include <utility>
#include <string_view>

namespace report {

namespace {

// How a measure's growth is told from noise: by points (a percentage), or by a share of the
// previous value together with an absolute floor.
struct Measure
{
  std::string_view key;
  double points = 0;     // growth in points that counts (percentages)
  double share = 0;      // growth as a share of the previous value that counts
  double min_growth = 0; // with `share`: and at least this much
};

constexpr double k_mib = 1024.0 * 1024.0;

// Most telling first: the closeness to a limit, then bloat, then size.
constexpr std::array k_measures{
  Measure{"usage_pct", 1.0},
  Measure{"bloat_pct", 5.0},
  Measure{"dead_pct", 5.0},
  Measure{"bloat_bytes", 0, 0.10, k_mib},
  Measure{"dead_tuple_bytes", 0, 0.10, k_mib},
  Measure{"n_dead_tup", 0, 0.10, 1000},
  Measure{"size_bytes", 0, 0.10, k_mib},
  Measure{"table_size_bytes", 0, 0.10, k_mib},
};

} // namespace

std::optional<MeasureChange>
measure_worsened(const nlohmann::json& before, const nlohmann::json& after)
{
  for (const auto& m : k_measures) {
    const auto was = model::evidence_number(before, m.key);
    const auto now = model::evidence_number(after, m.key);
    if (!was || !now) {
      continue;
    }
    const auto growth = *now - *was;
    const bool worse = m.points > 0 ? growth >= m.points : growth >= m.min_growth && growth >= *was * m.share;
    if (worse) {
      const std::string key(m.key);
      return MeasureChange{key, evidence_value(key, before.at(key)), evidence_value(key, after.at(key))};
    }
  }
  return std::nullopt;
}

std::optional<MeasureChange>
measure_improved(const nlohmann::json& before, const nlohmann::json& after)
{
  auto change = measure_worsened(after, before);
  if (change) {
    std::swap(change->before, change->after);
  }
  return change;
}

FindingComparison
compare_finding(const model::Finding& before, const model::Finding& after)
{
  FindingComparison out;
  if (after.severity == before.severity) {
    out.measure = measure_worsened(before.evidence, after.evidence);
    out.direction = out.measure ? Direction::worse : Direction::same;
    return out;
  }
  out.severity_before = before.severity;
  if (after.severity > before.severity) {
    out.direction = Direction::worse;
    out.measure = measure_worsened(before.evidence, after.evidence);
  } else {
    out.direction = Direction::better;
    out.measure = measure_improved(before.evidence, after.evidence);
  }
  return out;
}

} // namespace report
