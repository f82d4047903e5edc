#pragma once

namespace app {

// Parses the command line, runs the subcommand and returns the process exit code. The only
// place that prints "schema-audit: error: ...".
int run(int argc, char** argv);

} // namespace app
