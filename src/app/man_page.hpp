#pragma once

#include "app/cli_doc.hpp"
#include "model/check.hpp"

#include <ostream>
#include <string_view>
#include <vector>

namespace app {

// schema-audit(1) in roff (man(7) macros). Commands and options come from the command tree, the
// checks from the registry, and EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES from the README's
// sections of those names ("Exit codes", "Environment", "Files", "Quick start"), converted from
// Markdown, so the page never drifts from --help or from the README.
void write_man_page(const CommandDoc& cli,
                    const std::vector<model::CheckDef>& checks,
                    std::string_view readme,
                    std::ostream& out);

} // namespace app
