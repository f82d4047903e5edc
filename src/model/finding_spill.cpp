#include "model/finding_spill.hpp"

#include <string>
#include <type_traits>
#include <variant>

namespace model {

namespace {

// Frees the memory of `field` in `finding`.
void
clear(Finding& finding, const FindingField& field)
{
  std::visit(
    [&](auto Finding::*member) {
      using Member = std::remove_reference_t<decltype(finding.*member)>;
      if constexpr (std::is_class_v<Member>) { // the enums take no memory of their own
        Member().swap(finding.*member);
      }
    },
    field.member);
}

// Appends the record of `finding`'s spilled fields to `buffer`: their stored values
// (stored_value()), in k_finding_fields' order.
void
append_record(std::string& buffer, const Finding& finding)
{
  std::vector<std::string> values;
  for (const auto& field : k_finding_fields) {
    if (is_spilled(field)) {
      values.push_back(stored_value(finding, field));
    }
  }
  util::SpillFile::add_record(buffer, std::vector<std::string_view>(values.begin(), values.end()));
}

} // namespace

bool
is_spilled(const FindingField& field)
{
  return field.home == FieldHome::text || field.name == "evidence";
}

std::optional<std::size_t>
spilled_position(const FindingField& field)
{
  std::size_t position = 0;
  for (const auto& f : k_finding_fields) {
    if (&f == &field) {
      return is_spilled(f) ? std::optional<std::size_t>(position) : std::nullopt;
    }
    position += is_spilled(f) ? 1 : 0;
  }
  return std::nullopt;
}

void
FindingSpill::spill(std::span<Finding> findings)
{
  std::string buffer;
  std::vector<std::pair<Finding*, std::size_t>> batch; // each finding and where its record starts in buffer
  const auto flush = [&] {
    if (const auto at = batch.empty() ? -1 : m_file.append(buffer); at >= 0) {
      for (auto& [finding, offset] : batch) {
        finding->spilled_at = at + static_cast<std::int64_t>(offset);
        for (const auto& field : k_finding_fields) {
          if (is_spilled(field)) {
            clear(*finding, field);
          }
        }
      }
    }
    buffer.clear();
    batch.clear();
  };
  for (auto& finding : findings) {
    if (finding.spilled_at >= 0) {
      continue;
    }
    batch.emplace_back(&finding, buffer.size());
    append_record(buffer, finding);
    if (buffer.size() >= util::SpillFile::k_batch_bytes) {
      flush();
    }
  }
  flush();
}

Finding
FindingSpill::whole(const Finding& finding) const
{
  Finding out = finding;
  restore(out);
  return out;
}

void
FindingSpill::restore(Finding& finding) const
{
  const auto values = stored_values(finding);
  if (values.empty()) {
    return;
  }
  for (const auto& field : k_finding_fields) {
    if (const auto position = spilled_position(field)) {
      set_stored_value(finding, field, values.at(*position));
    }
  }
  finding.spilled_at = -1;
}

std::vector<std::string>
FindingSpill::stored_values(const Finding& finding) const
{
  if (finding.spilled_at < 0) {
    return {};
  }
  return m_file.record_at(finding.spilled_at);
}

} // namespace model
