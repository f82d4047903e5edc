#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace audit {

// A table as a statement names it. `schema` is empty when the statement does not qualify it.
struct TableName
{
  std::string schema;
  std::string name;

  auto operator<=>(const TableName&) const = default;
};

// How a statement uses a column: merely mentions it, compares it with a value (`equality`:
// =, IN, = ANY; `range`: <, <=, >, >=, BETWEEN) or with another column (`join`).
enum class ColumnUse { reference, equality, range, join };

// One column reference. `tables` is the table it belongs to when the statement says so (through
// an alias, the table name or the only table in scope); for an unqualified column with several
// tables in scope it lists them all, innermost first, and the caller picks the one that has the
// column. Empty when the column belongs to no table (a CTE, a subquery, a function). `column` is
// "*" for `*` and `t.*`.
struct ColumnRef
{
  std::string column;
  std::vector<TableName> tables;
  ColumnUse use = ColumnUse::reference;
};

// What one SQL statement reads, as libpg_query's parse tree shows it.
struct ParsedStatement
{
  // The parse tree's node type of each statement, e.g. {"SelectStmt"}.
  std::vector<std::string> kinds;
  // Every table named (CTE names excluded), in order of appearance, without duplicates.
  std::vector<TableName> tables;
  // Every column reference: select lists, expressions, INSERT/UPDATE/COPY column lists; an
  // INSERT without a column list and COPY without one reference "*".
  std::vector<ColumnRef> references;
  // The columns compared in WHERE and JOIN ... ON / USING, at the top level of AND-ed
  // conditions (OR and NOT branches are left out: a plain index rarely serves them).
  std::vector<ColumnRef> filters;
};

// Parses `sql` (one or more statements; $n placeholders of normalised statements are fine) with
// libpg_query. Throws util::Error carrying the parser's message when the text does not parse.
ParsedStatement parse_statement(std::string_view sql);

// The tables and columns a check knows from the catalog, to resolve what statements name.
class ColumnCatalog
{
public:
  // `table` is schema-qualified; `columns` are its column names.
  void add(const TableName& table, std::vector<std::string> columns);

  // The catalog table a statement's `table` names: a qualified name as it is; an unqualified
  // one in public (the default search_path), else in the only schema that has it.
  std::optional<TableName> resolve_table(const TableName& table) const;

  // The catalog table `ref` is a column of: the first of its tables that resolves and has the
  // column (for "*", the first that resolves).
  std::optional<TableName> resolve(const ColumnRef& ref) const;

  // The columns of a catalog table, or nullptr.
  const std::vector<std::string>* columns(const TableName& table) const;

private:
  std::map<TableName, std::vector<std::string>> m_columns;
  std::multimap<std::string, std::string> m_schemas_of; // table name -> schemas
};

} // namespace audit
