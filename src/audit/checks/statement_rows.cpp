#include "audit/checks/statement_rows.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

namespace audit::checks {

StatementRows
read_statement_rows(const pg::QueryResult& result, const model::CheckDef& def)
{
  const auto kind_col = result.column("row_kind");
  const auto data_col = result.column("data");
  if (!kind_col || !data_col) {
    throw util::Error(fmt::format("query of {} returns no row_kind or data column", def.source));
  }
  StatementRows rows;
  for (const auto& row : result.rows) {
    auto data = nlohmann::json::parse(row[*data_col].value_or("{}"));
    const auto kind = row[*kind_col].value_or("");
    if (kind == "statement") {
      rows.statements.push_back(std::move(data));
    } else if (kind == "meta") {
      rows.meta = std::move(data);
    } else if (kind == "table") {
      const TableName name{data.at("schema").get<std::string>(), data.at("table").get<std::string>()};
      std::vector<std::string> columns;
      for (const auto& c : data.at("columns")) {
        columns.push_back(c.at(0).get<std::string>());
      }
      rows.catalog.add(name, std::move(columns));
      rows.tables.emplace(name, std::move(data));
    }
  }
  return rows;
}

void
add_finding(const CheckContext& ctx, model::Finding f, const std::string& table, std::vector<model::Finding>& out)
{
  f.check_id = ctx.def.id;
  f.category = ctx.def.category;
  f.effort = ctx.def.effort;
  if (const auto it = ctx.config.checks.find(ctx.def.id); it != ctx.config.checks.end() && it->second.severity) {
    f.severity = *it->second.severity;
  }
  if (ctx.config.includes(f.schema_name, table)) {
    out.push_back(std::move(f));
  }
}

} // namespace audit::checks
