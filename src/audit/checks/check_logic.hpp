#pragma once

#include "audit/check_context.hpp"

#include <string_view>

namespace audit::checks {

// The logic of check `id`: its audit/checks/<id>.cpp when it has one (listed in the table of
// check_logic.cpp; add a line there when adding one; the runner never switches on check ids),
// else the generic mapping of the fixed aliases. A check with logic of its own still has its
// queries/<id>.sql; the logic maps that query's rows.
const CheckLogic& check_logic_for(std::string_view id);

} // namespace audit::checks
