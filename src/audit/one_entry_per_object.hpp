#pragma once

#include "model/finding.hpp"
#include "model/finding_spill.hpp"

#include <vector>

namespace audit {

// One object, one entry: where two checks reach the same decision on the same object (an index
// both redundant and unused is dropped either way), the finding with the stronger reason keeps
// the object and takes the other's evidence (under the other check's id), its message and the
// higher severity; the other finding goes. The pairs are listed in one_entry_per_object.cpp.
// `spill`, when given, holds the findings' words and evidence (the two findings of a merge are
// read back, and the one kept is spilled again).
void merge_same_object_findings(std::vector<model::Finding>& findings, model::FindingSpill* spill = nullptr);

} // namespace audit
