#pragma once

#include "model/history_store.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace report {

// The schema changes of each database of `names` in `history` as a Markdown changelog fit for
// db/CHANGELOG.md: one entry per snapshot with changes, newest first, taken at or after `since`
// (epoch seconds) when given; each entry lists its changes in the order the history keeps them
// and leaves a "Why:" line for what only people know. The baseline (the first snapshot with a
// catalog) closes the list with the schema's size then. A database whose snapshots have no
// catalog yet says so.
void write_changelog(const model::HistoryStore& history,
                     const std::vector<std::string>& names,
                     std::optional<std::int64_t> since,
                     std::ostream& out);

} // namespace report
