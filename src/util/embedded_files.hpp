#pragma once

#include <string_view>
#include <vector>

namespace util {

// A file of queries/, templates/ or history/ compiled into the binary. `path` is relative to
// the source tree, e.g. "queries/unused_index.sql".
struct EmbeddedFile
{
  std::string_view path;
  std::string_view content;
};

// All embedded files, sorted by path. Defined in the generated embedded_files.cpp.
const std::vector<EmbeddedFile>& embedded_files();

} // namespace util
