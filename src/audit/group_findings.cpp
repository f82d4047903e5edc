#include "audit/group_findings.hpp"

#include "util/label.hpp"
#include "util/text.hpp"

#include <nlohmann/json.hpp>

#include <string_view>
#include <unordered_map>

namespace audit {

namespace {

// What one finding's entry spans: `schema` and `rest` of the label it is grouped by (the rest
// is empty for a whole-check entry or a label without a schema).
struct Span
{
  std::string schema;
  std::string rest;
};

std::string
joined(const std::vector<std::string_view>& parts, std::size_t from, std::size_t to)
{
  std::string out;
  for (std::size_t i = from; i < to && i < parts.size(); ++i) {
    if (i > from) {
      out += '.';
    }
    out += parts[i];
  }
  return out;
}

Span
span_of(const model::FindingHead& f, model::GroupBy group_by, const PartitionRoots& roots)
{
  if (group_by == model::GroupBy::check) {
    return {};
  }
  auto parts = util::label_parts(f.object);
  if (parts.size() < 2) { // a database, or a label no query writes: an entry of its own
    return {std::string(), f.object};
  }
  // A partition (table or index) stands for its root: schema.relation is its first two parts.
  std::string relation = joined(parts, 0, 2);
  if (const auto it = roots.find(relation); it != roots.end()) {
    relation = it->second;
  }
  const auto root_parts = util::label_parts(relation);
  const auto tail = group_by == model::GroupBy::table ? std::string() : joined(parts, 2, parts.size());
  auto rest = joined(root_parts, 1, root_parts.size());
  if (!tail.empty()) {
    rest += "." + tail;
  }
  return {std::string(root_parts.front()), std::move(rest)};
}

} // namespace

PartitionRoots
parse_partition_roots(const std::string& rows_json)
{
  PartitionRoots roots;
  const auto rows = nlohmann::json::parse(rows_json, nullptr, false);
  if (!rows.is_array()) {
    return roots;
  }
  for (const auto& row : rows) {
    if (row.value("label", nlohmann::json()).is_string() && row.value("root", nlohmann::json()).is_string()) {
      roots.emplace(row.at("label").get<std::string>(), row.at("root").get<std::string>());
    }
  }
  return roots;
}

void
assign_groups(model::FindingList& list, const Registry& registry, const PartitionRoots& roots)
{
  auto& findings = list.heads();
  // Each finding's span is worked out twice rather than held for all of them between the two
  // passes (64 bytes a finding, 18 MB at 10,000 schemas, at the audit's peak).
  const auto span_for = [&](const model::FindingHead& f) {
    const auto* def = registry.find(f.check_id);
    return span_of(f, def ? def->group_by : model::GroupBy::object, roots);
  };
  // check + rest -> the first schema it occurs in, and whether it occurs in another: in two or
  // more, the schemas are one entry
  struct Seen
  {
    std::string first;
    bool several = false;
  };
  std::unordered_map<std::string, Seen> schemas;
  const auto key_of = [](const model::FindingHead& f, const Span& span) { return f.check_id.str() + '\0' + span.rest; };
  for (const auto& f : findings) {
    if (!f.entry.empty()) { // its entry is the cause its check names, in whichever schemas
      continue;
    }
    const auto span = span_for(f);
    if (!span.schema.empty()) {
      const auto [it, added] = schemas.try_emplace(key_of(f, span), Seen{span.schema});
      it->second.several = it->second.several || (!added && it->second.first != span.schema);
    }
  }
  for (auto& f : findings) {
    std::string key = f.check_id;
    if (!f.entry.empty()) {
      // a cause the check names (the alias `entry`): one decision for every finding of it, in any schema
      key += "|entry|" + std::string(f.entry);
    } else if (f.confidence == "low") {
      // "not enough evidence yet" for every one of them, and nothing to run: one entry
      key += "|low-confidence";
    } else if (f.severity == model::Severity::info) {
      // nothing to act on yet (an empty or tiny table, a choice worth knowing): one entry, apart
      // from the check's findings that are
      key += "|info";
    } else if (const auto span = span_for(f); !span.schema.empty() || !span.rest.empty()) {
      const bool across_schemas = !span.schema.empty() && schemas.at(key_of(f, span)).several;
      key += "|" + (across_schemas ? "*" : span.schema) + "|" + span.rest;
    }
    f.group_id = util::stable_hash("group:" + key).substr(0, 12);
  }
}

} // namespace audit
