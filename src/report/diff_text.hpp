#pragma once

#include "report/diff.hpp"

#include <ostream>

namespace report {

// `diff` as plain text (diff --format text): the two snapshots, the counts, then the new, fixed,
// worse, better and not-checked findings, and the changed fixes as unified diffs.
void write_diff_text(const Diff& diff, std::ostream& out);

} // namespace report
