#include "app/cli.hpp"

#include "app/commands.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace app {

void
print_error(std::string_view message)
{
  std::fprintf(stderr, "schema-audit: error: %s\n", util::redact_passwords(message).c_str());
}

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
    // A parse error may quote any argument, such as a connection URL given without --db.
    print_error(fmt::format("{}; see schema-audit --help", e.what()));
    return static_cast<int>(util::ExitCode::usage);
  }
  util::set_log_verbosity(global.verbosity);

  try {
    return chosen();
  } catch (const util::Fatal& e) {
    print_error(e.what());
    return static_cast<int>(e.code());
  } catch (const util::Error& e) {
    print_error(e.what());
    return static_cast<int>(util::ExitCode::internal);
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}; please report this", e.what()));
    return static_cast<int>(util::ExitCode::internal);
  }
}

} // namespace app
