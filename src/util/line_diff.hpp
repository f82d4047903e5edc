#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace util {

// The lines of `after` against those of `before` as a unified diff (diff -u without the file
// names): hunks headed "@@ -l,n +l,n @@", then each line prefixed "-" (only in before), "+" (only
// in after) or " " (in both; `context` of them around each change). Empty when the texts have
// the same lines.
std::vector<std::string> unified_diff(std::string_view before, std::string_view after, std::size_t context = 3);

} // namespace util
