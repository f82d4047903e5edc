#include "audit/one_entry_per_object.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

namespace audit {

namespace {

// (kept, merged into it): the kept check's reason is the stronger one. redundant_index: a wider
// index serves every query the redundant one serves, so the drop is safe whatever the usage
// statistics say; unused_index's evidence says how little the index was used on top of that.
// missing_index_statements: the statements name the columns to index, where missing_index only
// saw sequential scans of the table. unused_index over array_btree_index and redundant_predicate:
// an index nothing uses is dropped, not rebuilt in another form.
constexpr std::pair<std::string_view, std::string_view> k_merged_into[] = {
  {"redundant_index", "unused_index"},
  {"missing_index_statements", "missing_index"},
  {"unused_index", "array_btree_index"},
  {"unused_index", "redundant_predicate"},
};

} // namespace

void
merge_same_object_findings(model::FindingList& findings)
{
  auto& heads = findings.heads();
  for (const auto& [kept_check, merged_check] : k_merged_into) {
    // Keyed by copies: a merge puts a new head, with its own texts, in place of the kept one.
    std::map<std::pair<std::string, std::string>, std::size_t> kept;
    for (std::size_t i = 0; i < heads.size(); ++i) {
      if (heads[i].check_id == kept_check) {
        kept.emplace(std::pair(heads[i].object_type.str(), heads[i].object), i);
      }
    }
    if (kept.empty()) {
      continue;
    }
    std::vector<bool> merged(heads.size(), false);
    for (std::size_t i = 0; i < heads.size(); ++i) {
      const auto& f = heads[i];
      if (f.check_id != merged_check) {
        continue;
      }
      const auto it = kept.find({f.object_type.str(), f.object});
      if (it == kept.end()) {
        continue;
      }
      const auto merged_finding = findings[i];
      auto into = findings[it->second];
      into.evidence[std::string(merged_check)] = merged_finding.evidence;
      into.message += "; " + std::string(merged_check) + " agrees: " + merged_finding.message;
      into.severity = std::max(into.severity, merged_finding.severity);
      findings.replace(it->second, std::move(into));
      merged[i] = true;
    }
    std::size_t i = 0;
    std::erase_if(heads, [&](const model::FindingHead&) { return merged[i++]; });
  }
}

} // namespace audit
