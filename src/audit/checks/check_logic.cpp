#include "audit/checks/check_logic.hpp"

namespace audit::checks {

std::map<std::string_view, RowMapper>
check_logic_entries()
{
  return {};
}

} // namespace audit::checks
