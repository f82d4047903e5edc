#include "audit/group_findings.hpp"

#include "util/label.hpp"
#include "util/text.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string_view>

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
span_of(const model::Finding& f, model::GroupBy group_by, const PartitionRoots& roots)
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
assign_groups(std::vector<model::Finding>& findings, const Registry& registry, const PartitionRoots& roots)
{
  std::vector<Span> spans;
  spans.reserve(findings.size());
  // (check, rest) -> the schemas it occurs in: in two or more, the schemas are one entry
  std::map<std::pair<std::string_view, std::string>, std::set<std::string>> schemas;
  for (const auto& f : findings) {
    const auto* def = registry.find(f.check_id);
    spans.push_back(span_of(f, def ? def->group_by : model::GroupBy::object, roots));
    if (!spans.back().schema.empty()) {
      schemas[{f.check_id, spans.back().rest}].insert(spans.back().schema);
    }
  }
  for (std::size_t i = 0; i < findings.size(); ++i) {
    auto& f = findings[i];
    const auto& span = spans[i];
    std::string key = f.check_id;
    if (f.confidence == "low") {
      // "not enough evidence yet" for every one of them, and nothing to run: one entry
      key += "|low-confidence";
    } else if (!span.schema.empty() || !span.rest.empty()) {
      const bool across_schemas = !span.schema.empty() && schemas[{f.check_id, span.rest}].size() > 1;
      key += "|" + (across_schemas ? "*" : span.schema) + "|" + span.rest;
    }
    f.group_id = util::stable_hash("group:" + key).substr(0, 12);
  }
}

} // namespace audit
