#pragma once

#include "model/finding.hpp"
#include "util/spill_file.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace audit {

// The findings the checks have mapped, out of memory until the audit gathers them (#19). A
// check's findings were held twice at the gathering: in their check's list and in the audit's,
// which is reserved for all of them (on the 1,000-schema benchmark ~25 MB of 384-byte structs).
// Parked as each page of a check's rows is mapped, every field's stored value
// (model::stored_value), they are read back one at a time into the audit's list, so only that
// list holds them. The words and evidence the
// audit's FindingSpill holds stay there: a parked finding keeps where (spilled_at).
class ParkedFindings
{
public:
  // Writes `findings` to the file and empties the list; where each one is, in order. nullopt, the
  // findings left as they are, when the file cannot take them (no usable TMPDIR, a full disk).
  // Safe to call from several threads.
  std::optional<std::vector<std::int64_t>> park(std::vector<model::Finding>& findings);

  // The finding parked at `at`.
  model::Finding take(std::int64_t at) const;

private:
  util::SpillFile m_file{"parked", "the findings the checks mapped"};
};

} // namespace audit
