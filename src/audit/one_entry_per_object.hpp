#pragma once

#include "model/finding_list.hpp"

namespace audit {

// One object, one entry: where two checks reach the same decision on the same object (an index
// both redundant and unused is dropped either way), the finding with the stronger reason keeps
// the object and takes the other's evidence (under the other check's id), its message and the
// higher severity; the other finding goes. The pairs are listed in one_entry_per_object.cpp.
// The two findings of a merge are read back whole, and the one kept is spilled again.
void merge_same_object_findings(model::FindingList& findings);

} // namespace audit
