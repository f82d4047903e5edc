#pragma once

#include <string_view>

namespace app {

// Prints "schema-audit: error: `message`" on stderr, with any password it quotes redacted.
void print_error(std::string_view message);

// Parses the command line, runs the subcommand and returns the process exit code. Errors are
// printed by print_error().
int run(int argc, char** argv);

} // namespace app
