#include "model/finding_spill.hpp"

#include "util/error.hpp"

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

std::int64_t
FindingSpill::keep(const std::string& buffer)
{
  if (const auto at = m_file.append(buffer); at >= 0) {
    return at;
  }
  std::lock_guard lock(m_memory_mutex);
  const auto at = static_cast<std::int64_t>(m_memory.size());
  m_memory += buffer;
  return -2 - at;
}

void
FindingSpill::spill(std::span<Finding> findings)
{
  std::string buffer;
  std::vector<std::pair<Finding*, std::size_t>> batch; // each finding and where its record starts in buffer
  const auto flush = [&] {
    if (batch.empty()) {
      return;
    }
    const auto at = keep(buffer);
    for (auto& [finding, offset] : batch) {
      finding->spilled_at = at >= 0 ? at + static_cast<std::int64_t>(offset) : at - static_cast<std::int64_t>(offset);
      for (const auto& field : k_finding_fields) {
        if (is_spilled(field)) {
          clear(*finding, field);
        }
      }
    }
    buffer.clear();
    batch.clear();
  };
  for (auto& finding : findings) {
    if (finding.spilled_at != -1) {
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
FindingSpill::whole(const FindingHead& finding) const
{
  Finding out;
  static_cast<FindingHead&>(out) = finding;
  restore(out);
  return out;
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
FindingSpill::stored_values(const FindingHead& finding) const
{
  if (finding.spilled_at == -1) {
    return {};
  }
  if (finding.spilled_at >= 0) {
    return m_file.record_at(finding.spilled_at);
  }
  std::lock_guard lock(m_memory_mutex);
  return util::SpillFile::record_in(m_memory, static_cast<std::size_t>(-2 - finding.spilled_at));
}

std::optional<std::string>
FindingSpill::stored_evidence(const FindingHead& finding) const
{
  static const auto evidence_at = [] {
    for (const auto& field : k_finding_fields) {
      if (field.name == "evidence") {
        return spilled_position(field).value();
      }
    }
    throw util::Error("the finding fields have no evidence");
  }();
  auto values = stored_values(finding);
  if (values.empty()) {
    return std::nullopt;
  }
  return std::move(values.at(evidence_at));
}

} // namespace model
