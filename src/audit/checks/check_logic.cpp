#include "audit/checks/check_logic.hpp"

namespace audit::checks {

// One declaration per audit/checks/<id>.cpp.
void map_missing_index_statements(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_unused_column_statements(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_unused_index(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_unused_table(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);
void map_deprecated_object(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&);

std::map<std::string_view, RowMapper>
check_logic_entries()
{
  return {
    {"missing_index_statements", map_missing_index_statements},
    {"unused_column_statements", map_unused_column_statements},
    {"unused_index", map_unused_index},
    {"unused_table", map_unused_table},
    {"deprecated_object", map_deprecated_object},
  };
}

} // namespace audit::checks
