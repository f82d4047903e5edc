#include "audit/checks/check_logic.hpp"

#include "audit/finding_rows.hpp"

#include <map>

namespace audit::checks {

// One declaration per audit/checks/<id>.cpp.
void map_missing_index(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_missing_index_statements(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_unused_column_statements(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_unused_index(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_unused_table(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_deprecated_object(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_xid_wraparound(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);

namespace {

const std::map<std::string_view, CheckMapping>&
check_logic_table()
{
  // whole_result: the statement checks gather the statements of every row before proposing
  // anything; xid_wraparound reads the server's XID rate from its first row.
  static const std::map<std::string_view, CheckMapping> table = {
    {"missing_index", {map_missing_index}},
    {"missing_index_statements", {map_missing_index_statements, true}},
    {"unused_column_statements", {map_unused_column_statements, true}},
    {"unused_index", {map_unused_index}},
    {"unused_table", {map_unused_table}},
    {"deprecated_object", {map_deprecated_object}},
    {"xid_wraparound", {map_xid_wraparound, true}},
  };
  return table;
}

} // namespace

const CheckMapping&
check_logic_for(std::string_view id)
{
  static const CheckMapping generic{map_rows_generic};
  const auto& table = check_logic_table();
  const auto it = table.find(id);
  return it == table.end() ? generic : it->second;
}

} // namespace audit::checks
