#include "audit/parked_findings.hpp"

#include "model/finding_fields.hpp"
#include "util/error.hpp"

#include <string>
#include <string_view>

namespace audit {

std::optional<std::vector<std::int64_t>>
ParkedFindings::park(std::vector<model::Finding>& findings)
{
  if (findings.empty()) {
    return std::vector<std::int64_t>{};
  }
  std::string buffer;
  std::vector<std::size_t> offsets; // where each record starts in buffer
  offsets.reserve(findings.size());
  std::vector<std::string> values;
  for (const auto& f : findings) {
    values.clear();
    for (const auto& field : model::k_finding_fields) {
      values.push_back(model::stored_value(f, field));
    }
    values.push_back(std::to_string(f.spilled_at));
    offsets.push_back(buffer.size());
    util::SpillFile::add_record(buffer, std::vector<std::string_view>(values.begin(), values.end()));
  }
  // One write for the check (a few hundred bytes a finding; the largest check of the 1,000-schema
  // benchmark writes ~3 MB).
  const auto at = m_file.append(buffer);
  if (at < 0) {
    return std::nullopt;
  }
  std::vector<std::int64_t> places;
  places.reserve(offsets.size());
  for (const auto offset : offsets) {
    places.push_back(at + static_cast<std::int64_t>(offset));
  }
  std::vector<model::Finding>().swap(findings);
  return places;
}

model::Finding
ParkedFindings::take(std::int64_t at) const
{
  const auto values = m_file.record_at(at);
  if (values.size() != model::k_finding_fields.size() + 1) {
    throw util::Error("a parked finding reads back with the wrong number of fields");
  }
  model::Finding f;
  for (std::size_t i = 0; i < model::k_finding_fields.size(); ++i) {
    model::set_stored_value(f, model::k_finding_fields[i], values[i]);
  }
  f.spilled_at = std::stoll(values.back());
  return f;
}

} // namespace audit
