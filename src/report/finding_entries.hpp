#pragma once

#include "model/finding.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace report {

// The findings (in fix-first order) of one entry of the outputs: those sharing a group id
// (model::Finding::group_id). The first is the entry's lead, the one shown in full.
struct EntryMembers
{
  std::vector<std::size_t> positions; // into the findings, ascending
};

// The entries of `findings` (sorted fix-first), in the order of their leads. A finding without a
// group id (stored before history schema 7) is an entry of its own. For a list of Finding or of
// FindingHead (an audit's: model::FindingList::heads()), as entry_summary.
template<typename F>
std::vector<EntryMembers> entries_of(const std::vector<F>& findings);

// Whether the entry is one object in several schemas, tenant by tenant (its findings' labels
// less their schemas are one, in as many schemas as findings): its fixes are alike. Otherwise
// its others are other objects, each with a fix of its own.
template<typename F>
bool one_object_across_schemas(const std::vector<F>& findings, const EntryMembers& entry);

// What an entry of several findings covers, for its heading: "396 columns in 130 tables",
// "table notes in 12 schemas"; the object's label for an entry of one.
template<typename F>
std::string entry_summary(const std::vector<F>& findings, const EntryMembers& entry);

} // namespace report
