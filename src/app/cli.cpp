#include "app/cli.hpp"

#include "app/commands.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/malloc_tuning.hpp"
#include "util/redact.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <new>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace app {

void
print_error(std::string_view message)
{
  std::fprintf(stderr, "schema-audit: error: %s\n", util::redact_passwords(message).c_str());
}

namespace {

// Edits (insertions, deletions, substitutions) that turn `a` into `b`.
std::size_t
edit_distance(std::string_view a, std::string_view b)
{
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const auto above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The candidate closest to `typed` within two edits (a typo), if any.
std::optional<std::string>
closest(std::string_view typed, const std::vector<std::string>& candidates)
{
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& c : candidates) {
    if (const auto d = edit_distance(typed, c); d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

// The subcommand the command line chose ("audit", "history import"), empty when none.
std::string
chosen_command(const CLI::App& cli)
{
  std::string out;
  for (const auto* app = &cli; ;) {
    const auto parsed = app->get_subcommands();
    if (parsed.empty()) {
      return out;
    }
    app = parsed.front();
    out += (out.empty() ? "" : " ") + app->get_name();
  }
}

// "unknown command "audti"; did you mean "audit"?" when the first word that is not an option
// names no subcommand (CLI11 would only say that a subcommand is required).
std::optional<std::string>
unknown_command(const CLI::App& cli, int argc, char** argv)
{
  std::vector<std::string> names;
  for (const auto* sub : cli.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.empty() || arg.front() == '-') {
      if (arg == "--") {
        return std::nullopt;
      }
      continue;
    }
    if (std::find(names.begin(), names.end(), arg) != names.end()) {
      return std::nullopt;
    }
    const auto guess = closest(arg, names);
    return fmt::format("unknown command \"{}\"{}; the commands are {}", util::printable(arg),
                       guess ? fmt::format("; did you mean \"{}\"?", *guess) : std::string(), fmt::join(names, ", "));
  }
  return std::nullopt;
}

// "; did you mean --history?" for an option the chosen subcommand does not have but nearly has.
std::string
option_hint(const CLI::App& cli, const CLI::ParseError& e)
{
  const auto* extras = dynamic_cast<const CLI::ExtrasError*>(&e);
  if (!extras) {
    return "";
  }
  // The options of the chosen subcommand and of the levels above it, and what no level took.
  std::vector<std::string> names;
  std::vector<std::string> typed;
  for (const CLI::App* app = &cli; app != nullptr;) {
    for (const auto* option : app->get_options()) {
      for (const auto& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
    }
    const auto left = app->remaining();
    typed.insert(typed.end(), left.begin(), left.end());
    const auto parsed = app->get_subcommands();
    app = parsed.empty() ? nullptr : parsed.front();
  }
  for (const auto& word : typed) {
    if (word.rfind("--", 0) == 0) {
      if (const auto guess = closest(word.substr(0, word.find('=')), names)) {
        return fmt::format("; did you mean {}?", *guess);
      }
    }
  }
  return "";
}

} // namespace

void
define_cli(CLI::App& cli, GlobalOptions& global, Action& chosen)
{
  cli.description("schema-audit: audits PostgreSQL schemas, keeps every audit as a snapshot and "
                  "reports how the schema drifts");
  cli.name("schema-audit");
  cli.set_version_flag("--version", std::string("schema-audit ") + SCHEMA_AUDIT_VERSION);
  cli.require_subcommand(1);
  // Help on --help and -?, as psql: -h is the host (audit -h HOST), and subcommands inherit this.
  cli.set_help_flag("-?,--help", "Print this help message and exit");
  // Global options are accepted after the subcommand too (schema-audit audit -v), as psql and
  // pg_dump take theirs anywhere: each subcommand, made below, inherits this.
  cli.fallthrough();
  auto* verbose = cli.add_flag("-v,--verbose", global.verbosity, "More detail: audit's text output shows each entry's message, fix and undo; "
                                "diagnostics on stderr (-vv logs each query)");
  cli.add_flag("-q,--quiet", global.quiet,
               "Print nothing but errors: audit writes no findings to stdout (an --output file is still "
               "written) and no progress; the exit code says the outcome")
    ->excludes(verbose);
  add_audit_command(cli, global, chosen);
  add_report_command(cli, global, chosen);
  add_checks_command(cli, global, chosen);
  add_history_command(cli, global, chosen);
  add_diff_command(cli, global, chosen);
  add_changelog_command(cli, global, chosen);
}

int
run(int argc, char** argv)
{
  util::tune_malloc();
  CLI::App cli;
  GlobalOptions global;
  Action chosen;
  define_cli(cli, global, chosen);

  if (const auto unknown = unknown_command(cli, argc, argv)) {
    print_error(*unknown);
    return static_cast<int>(util::ExitCode::usage);
  }
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
    print_error(fmt::format("{}{}; see schema-audit {}--help", e.what(), option_hint(cli, e),
                            chosen_command(cli).empty() ? "" : chosen_command(cli) + " "));
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
  } catch (const std::bad_alloc&) {
    // Not a bug: the limit of the process (ulimit, a container's) or of the machine. Whatever was
    // being written is rolled back (a snapshot is one transaction).
    print_error("out of memory; give schema-audit more memory (ulimit -v, the container's limit) or audit part of "
                "the database at a time (--check)");
    return static_cast<int>(util::ExitCode::out_of_memory);
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}; please report this", e.what()));
    return static_cast<int>(util::ExitCode::internal);
  }
}

} // namespace app
