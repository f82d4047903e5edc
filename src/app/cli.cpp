#include "app/cli.hpp"

#include "app/commands.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace app {

void
define_cli(CLI::App& cli, GlobalOptions& global, Action& chosen)
{
  cli.description("schema-audit: audits PostgreSQL schemas, keeps every audit as a snapshot and "
                  "reports how the schema drifts");
  cli.name("schema-audit");
  cli.set_version_flag("--version", SCHEMA_AUDIT_VERSION);
  cli.require_subcommand(1);
  cli.add_flag("-v,--verbose", global.verbosity, "More diagnostics on stderr (-vv logs each query)");
  add_audit_command(cli, global, chosen);
  add_report_command(cli, global, chosen);
  add_checks_command(cli, global, chosen);
  add_history_command(cli, global, chosen);
  add_diff_command(cli, global, chosen);
}

int
run(int argc, char** argv)
{
  CLI::App cli;
  GlobalOptions global;
  Action chosen;
  define_cli(cli, global, chosen);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "schema-audit: error: %s; see schema-audit --help\n", e.what());
    return static_cast<int>(util::ExitCode::usage);
  }
  util::set_log_verbosity(global.verbosity);

  try {
    return chosen();
  } catch (const util::Fatal& e) {
    std::fprintf(stderr, "schema-audit: error: %s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const util::Error& e) {
    std::fprintf(stderr, "schema-audit: error: %s\n", e.what());
    return static_cast<int>(util::ExitCode::internal);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "schema-audit: error: internal error: %s; please report this\n", e.what());
    return static_cast<int>(util::ExitCode::internal);
  }
}

} // namespace app
