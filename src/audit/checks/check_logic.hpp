#pragma once

#include "audit/row_mapper.hpp"

#include <map>
#include <string_view>

namespace audit {

// Whether the row's schema_name/table_name (when the query returns them) pass the config's
// include/exclude patterns.
bool row_included(const pg::QueryResult& result, const pg::Row& row, const Config& config);

namespace checks {

// Check id -> mapper, for the checks that have a audit/checks/<id>.cpp. Add a line here when
// adding one; the runner never switches on check ids.
std::map<std::string_view, RowMapper> check_logic_entries();

} // namespace checks
} // namespace audit
