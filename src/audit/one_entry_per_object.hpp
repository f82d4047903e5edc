#pragma once

#include "model/finding_list.hpp"

#include <string>
#include <vector>

namespace audit {

// One object, one entry: where two checks reach the same decision on the same object (an index
// both redundant and unused is dropped either way), or one's fix makes the other's moot (an
// unindexed foreign key that is dropped as a duplicate), or one's fix comes first and the next
// audit writes the other's for what it left (a serial integer key widened, then made an
// identity), or the other's fix is a further step of the first (a foreign key a tenant fix keeps
// gets its index last), the finding that comes first keeps the object and takes the other's evidence (under
// the other check's id), its message or a sentence saying how the two relate, and the higher
// severity; the other finding goes. Where the first is a verdict with not enough evidence yet
// (low confidence, advice only: an unused index or column) and the other prints a fix, the other
// is kept instead, with the first's evidence, so no fix is lost. The pairs are listed in one_entry_per_object.cpp.
// The two findings of a merge are read back whole, and the one kept is spilled again.
void merge_same_object_findings(model::FindingList& findings);

// The checks whose findings on `finding`'s object were merged into it, those merged into them
// included (an index both duplicate, redundant and unused): the same object's other verdicts.
std::vector<std::string> merged_checks(const model::Finding& finding);

} // namespace audit
