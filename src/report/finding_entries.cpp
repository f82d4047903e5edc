#include "report/finding_entries.hpp"

#include "util/label.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace report {

namespace {

// "columns", "indexes", "sequences"
std::string
plural(std::string_view noun)
{
  return fmt::format("{}{}", noun, noun.ends_with('x') || noun.ends_with('s') ? "es" : "s");
}

// `object`'s label less its schema; empty for a label of one part.
std::string_view
unqualified_label(std::string_view object)
{
  const auto parts = util::label_parts(object);
  return parts.size() >= 2 ? object.substr(parts[0].size() + 1) : std::string_view();
}

// " (<cause>)" when the check named the cause the entry's findings share (the alias `entry`),
// else nothing.
template<typename F>
std::string
named_cause(const std::vector<F>& findings, const EntryMembers& entry)
{
  const auto& cause = findings.at(entry.positions.front()).entry;
  if (cause.empty()) {
    return {};
  }
  for (const auto i : entry.positions) {
    if (findings[i].entry != cause) {
      return {};
    }
  }
  return fmt::format(" ({})", cause.str());
}

} // namespace

template<typename F>
std::vector<EntryMembers>
entries_of(const std::vector<F>& findings)
{
  std::vector<EntryMembers> entries;
  std::unordered_map<std::string_view, std::size_t> by_group;
  by_group.reserve(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& group = findings[i].group_id;
    if (group.empty()) {
      entries.push_back(EntryMembers{{i}});
      continue;
    }
    const auto [it, added] = by_group.emplace(group, entries.size());
    if (added) {
      entries.emplace_back();
    }
    entries[it->second].positions.push_back(i);
  }
  return entries;
}

template<typename F>
bool
one_object_across_schemas(const std::vector<F>& findings, const EntryMembers& entry)
{
  const auto lead = unqualified_label(findings.at(entry.positions.front()).object);
  std::set<std::string_view> schemas;
  for (const auto i : entry.positions) {
    const std::string_view object = findings[i].object;
    if (lead.empty() || unqualified_label(object) != lead) {
      return false;
    }
    schemas.insert(object.substr(0, object.size() - lead.size() - 1));
  }
  return schemas.size() == entry.positions.size();
}

template<typename F>
std::string
entry_summary(const std::vector<F>& findings, const EntryMembers& entry)
{
  const auto& lead = findings.at(entry.positions.front());
  if (entry.positions.size() == 1) {
    return lead.object;
  }
  if (one_object_across_schemas(findings, entry)) { // one name, tenant by tenant
    return fmt::format("{} {} in {} schemas{}", lead.object_type, unqualified_label(lead.object), entry.positions.size(),
                       named_cause(findings, entry));
  }
  std::map<std::string_view, std::size_t> types; // object type -> how many
  std::set<std::string> tables;
  bool all_in_tables = true;
  std::set<std::string_view> schemas;
  for (const auto i : entry.positions) {
    const auto& f = findings[i];
    ++types[f.object_type];
    const auto parts = util::label_parts(f.object);
    if (parts.size() >= 3) { // schema.table.column (or constraint)
      tables.insert(fmt::format("{}.{}", parts[0], parts[1]));
    } else {
      all_in_tables = false;
    }
    if (parts.size() >= 2) {
      schemas.insert(parts[0]);
    }
  }
  // "3 columns", or by type ("1 column and 1 table": a table is not in one)
  std::string summary;
  for (const auto& [type, count] : types) {
    if (!summary.empty()) {
      summary += &type == &types.rbegin()->first ? " and " : ", ";
    }
    summary += fmt::format("{} {}", count, count == 1 ? std::string(type) : plural(type));
  }
  if (all_in_tables) {
    summary += fmt::format(" in {} table{}", tables.size(), tables.size() == 1 ? "" : "s");
  }
  if (schemas.size() > 1) {
    summary += fmt::format(" across {} schemas", schemas.size());
  }
  return summary + named_cause(findings, entry);
}

template std::vector<EntryMembers> entries_of(const std::vector<model::Finding>&);
template std::vector<EntryMembers> entries_of(const std::vector<model::FindingHead>&);
template bool one_object_across_schemas(const std::vector<model::Finding>&, const EntryMembers&);
template bool one_object_across_schemas(const std::vector<model::FindingHead>&, const EntryMembers&);
template std::string entry_summary(const std::vector<model::Finding>&, const EntryMembers&);
template std::string entry_summary(const std::vector<model::FindingHead>&, const EntryMembers&);

} // namespace report
