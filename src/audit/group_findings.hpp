#pragma once

#include "audit/registry.hpp"
#include "model/finding_list.hpp"

#include <map>
#include <string>
#include <vector>

namespace audit {

// Partition label -> the label of its root partitioned table (or index), as the input
// partition_roots reads them.
using PartitionRoots = std::map<std::string, std::string, std::less<>>;

PartitionRoots parse_partition_roots(const std::string& rows_json);

// Sets every finding's group_id: the findings shown as one entry share it. Each check's header
// says what an entry spans (model::GroupBy): an object, a table, or the whole check. On top of
// that, a partition counts as its root, one name in several schemas (tenant schemas built from
// one migration) is one entry, and so are a check's low-confidence verdicts (nothing to run). The id is a stable hash of the check and what the entry
// spans, so an entry keeps its id from one audit to the next.
void assign_groups(model::FindingList& findings, const Registry& registry, const PartitionRoots& roots);

} // namespace audit
