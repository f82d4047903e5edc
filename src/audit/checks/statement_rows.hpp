#pragma once

#include "audit/finding_rows.hpp"
#include "audit/statement_parser.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace audit::checks {

// The rows of a statement-driven check's query (missing_index_statements,
// unused_column_statements): a row_kind column ('statement', 'table' or 'meta') and a JSON
// data column. Table data has schema, table and columns ([name, quoted name, ...] arrays).
struct StatementRows
{
  std::vector<nlohmann::json> statements;
  std::map<TableName, nlohmann::json> tables;
  nlohmann::json meta = nlohmann::json::object();
  // The tables' column names, to resolve the statements' references.
  ColumnCatalog catalog;
};

// Throws util::Error naming the check when the query lacks the row_kind or data column.
StatementRows read_statement_rows(const pg::QueryResult& result, const model::CheckDef& def);

// Completes `f` as a finding of ctx.def (id, category, effort, the config's severity override)
// and appends it to `out` unless the config excludes `table`.
void add_finding(const CheckContext& ctx, model::Finding f, const std::string& table, std::vector<model::Finding>& out);

} // namespace audit::checks
