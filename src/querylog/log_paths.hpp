#pragma once

#include <string>
#include <vector>

namespace querylog {

// The files that `patterns` name: each a path or a glob (`*`, `?`, `[...]`), expanded in sorted
// order, duplicates dropped. Throws util::Error with a one-line message naming the pattern when a
// pattern matches no file, or names a file that cannot be read (a directory, no permission).
std::vector<std::string> expand_log_paths(const std::vector<std::string>& patterns);

} // namespace querylog
