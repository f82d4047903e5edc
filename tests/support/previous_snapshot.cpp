#include "support/previous_snapshot.hpp"

namespace test {

model::PreviousSnapshot
previous_from(const model::AuditResult& result)
{
  model::PreviousSnapshot prev;
  prev.taken_at = result.taken_at;
  prev.stats_reset = result.capabilities.stats_reset;
  for (const auto& m : result.metrics) {
    prev.metrics.add(m.object_type, m.object, m.metric, m.value);
  }
  prev.metrics.sort();
  for (const auto& f : result.findings) {
    prev.first_seen.add(f.fingerprint, model::FingerprintAge{result.taken_at, 1});
  }
  prev.first_seen.sort();
  return prev;
}

std::optional<double>
metric_value(const model::AuditResult& result,
             const std::string& object_type,
             const std::string& object,
             const std::string& metric)
{
  for (const auto& m : result.metrics) {
    if (m.object_type == object_type && m.object == object && m.metric == metric) {
      return m.value;
    }
  }
  return std::nullopt;
}

} // namespace test
