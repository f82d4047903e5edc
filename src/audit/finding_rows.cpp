#include "audit/finding_rows.hpp"

#include "util/error.hpp"

#include <fmt/format.h>


namespace audit {

namespace {

std::size_t
required(const pg::QueryResult& result, std::string_view name, const model::CheckDef& def)
{
  const auto index = result.column(name);
  if (!index) {
    throw util::Error(fmt::format("query of {} returns no \"{}\" column; see the fixed aliases in "
                                  "queries/README.md",
                                  def.source, name));
  }
  return *index;
}

std::string
value_at(const pg::Row& row, std::optional<std::size_t> index)
{
  return index ? row[*index].value_or("") : "";
}

} // namespace

bool
row_included(const pg::QueryResult& result, const pg::Row& row, const Config& config)
{
  const auto schema = value_at(row, result.column("schema_name"));
  const auto table = value_at(row, result.column("table_name"));
  return schema.empty() || config.includes(schema, table);
}

model::Finding
finding_from_row(const pg::QueryResult& result, const pg::Row& row, const CheckContext& ctx)
{
  const auto& def = ctx.def;
  model::Finding f;
  f.check_id = def.id;
  f.category = def.category;
  f.effort = def.effort;
  if (const auto e = value_at(row, result.column("effort")); !e.empty()) {
    f.effort = model::parse_effort(e).value_or(def.effort);
  }
  f.object = value_at(row, required(result, "object", def));
  f.object_type = value_at(row, required(result, "object_type", def));
  f.message = value_at(row, required(result, "message", def));
  f.schema_name = value_at(row, result.column("schema_name"));
  f.remediation = value_at(row, result.column("remediation"));
  f.undo = value_at(row, result.column("undo"));
  f.confidence = value_at(row, result.column("confidence"));
  // the cause its check says it shares with others (the alias `entry`): assign_groups makes its entry of it
  f.entry = value_at(row, result.column("entry"));

  f.severity = def.severity;
  if (const auto s = value_at(row, result.column("severity")); !s.empty()) {
    f.severity = model::parse_severity(s).value_or(def.severity);
  }
  if (const auto it = ctx.config.checks.find(def.id);
      it != ctx.config.checks.end() && it->second.severity) {
    f.severity = *it->second.severity;
  }

  if (const auto evidence = value_at(row, result.column("evidence")); !evidence.empty()) {
    f.evidence = nlohmann::json::parse(evidence, nullptr, false);
    if (f.evidence.is_discarded()) {
      f.evidence = nlohmann::json{{"text", evidence}};
    }
  }
  auto identity = value_at(row, result.column("identity"));
  if (identity.empty()) {
    identity = f.object_type.str() + ":" + f.object;
  }
  f.fingerprint = model::make_fingerprint(def.id, identity);
  return f;
}

void
map_rows_generic(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  for (const auto& row : result.rows) {
    if (row_included(result, row, ctx.config)) {
      out.push_back(finding_from_row(result, row, ctx));
    }
  }
}

void
map_metric_rows(const pg::QueryResult& result, model::MetricList& out)
{
  const model::CheckDef none{};
  const auto type = required(result, "object_type", none);
  const auto object = required(result, "object", none);
  const auto metric = required(result, "metric", none);
  const auto value = required(result, "value", none);
  for (const auto& row : result.rows) {
    if (!row[value]) {
      continue;
    }
    const auto text = [&row](std::size_t column) { return row[column] ? std::string_view(*row[column]) : std::string_view(); };
    out.add(text(type), text(object), text(metric), std::stod(*row[value]));
  }
}

} // namespace audit
