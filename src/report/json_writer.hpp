#pragma once

#include <nlohmann/json.hpp>

#include <ostream>

namespace report {

// Writes `value` as value.dump(2) would, but straight into `out` (no string of the whole
// document) and with invalid UTF-8 replaced by U+FFFD instead of throwing: identifiers from a
// SQL_ASCII database may not be UTF-8, and no output may fail on a name. `depth_indent` is the
// indentation of the line `value` starts on, for a value nested in text written around it.
void write_json(const nlohmann::json& value, std::ostream& out, unsigned depth_indent = 0);

} // namespace report
