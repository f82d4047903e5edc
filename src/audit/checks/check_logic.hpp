#pragma once

#include "audit/check_context.hpp"

#include <string_view>

namespace audit::checks {

// How the rows of a check's query become findings.
struct CheckMapping
{
  CheckLogic logic;
  // The logic reads the check's rows all at once (it gathers or compares them): the result is
  // read whole. Otherwise it maps each row on its own, and the runner reads the rows and maps
  // them a page at a time, so that a large result is never held whole.
  bool whole_result = false;
};

// The mapping of check `id`: its audit/checks/<id>.cpp when it has one (listed in the table of
// check_logic.cpp; add a line there when adding one; the runner never switches on check ids),
// else the generic mapping of the fixed aliases. A check with logic of its own still has its
// queries/<id>.sql; the logic maps that query's rows.
const CheckMapping& check_logic_for(std::string_view id);

} // namespace audit::checks
