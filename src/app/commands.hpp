#pragma once

#include "audit/config.hpp"
#include "audit/runner.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace model {
class HistoryStore;
}

namespace app {

// Options every subcommand shares.
struct GlobalOptions
{
  int verbosity = 0;
  bool quiet = false; // -q: errors only
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> queries;
  std::optional<std::filesystem::path> templates;
};

// A subcommand's action; returns the exit code.
using Action = std::function<int()>;

// The whole command tree: the global options and every subcommand. run() parses with it; the
// man page and the shell completions are generated from it (app/man_page.hpp, app/completion.hpp).
void define_cli(CLI::App& cli, GlobalOptions& global, Action& chosen);

// Each cmd_<name>.cpp adds its subcommand to `app` and, when it is the one chosen, stores its
// action in `chosen`.
void add_audit_command(CLI::App& app, GlobalOptions& global, Action& chosen);
void add_report_command(CLI::App& app, GlobalOptions& global, Action& chosen);
void add_checks_command(CLI::App& app, GlobalOptions& global, Action& chosen);
void add_history_command(CLI::App& app, GlobalOptions& global, Action& chosen);
void add_diff_command(CLI::App& app, GlobalOptions& global, Action& chosen);
void add_changelog_command(CLI::App& app, GlobalOptions& global, Action& chosen);

// Adds --config, --queries and/or --templates to `cmd`, stored in `global`.
void add_config_option(CLI::App& cmd, GlobalOptions& global);
void add_queries_option(CLI::App& cmd, GlobalOptions& global);
void add_templates_option(CLI::App& cmd, GlobalOptions& global);

// Adds --format text|json|markdown, and --json (its older spelling), to a command that prints a
// listing: `format` gets the format asked for ("text" unless it is given).
void add_format_option(CLI::App& cmd, std::string& format);

// Adds -o/--output to a command that writes a document (`what`: "the report"): `output` gets the
// file to write instead of stdout (app::Output checks it before the command runs).
void add_output_option(CLI::App& cmd, std::optional<std::filesystem::path>& output, std::string_view what);

// The history a command reads, and the database of it that it reads (all when not given).
struct HistoryChoice
{
  std::string location; // a SQLite file or a PostgreSQL history database
  std::optional<std::string> db_name;
};

// Adds the required --history (a SQLite file or a PostgreSQL history database: postgresql://...
// or "host=... dbname=...") and --db-name, said by `db_name_help`, of a command that reads the
// history.
void add_history_options(CLI::App& cmd, HistoryChoice& choice,
                         std::string db_name_help = "Only this database (as named in the history)");

// `location` as messages show it: a PostgreSQL connection string without its password.
std::string history_display(const std::string& location);

// The databases a command reading `history` (at `choice.location`) covers: `db_name` when given (a
// usage error naming the ones it has when it holds no snapshot of it), else all of them; a
// history error when it holds no snapshot at all.
std::vector<std::string> databases_to_read(const model::HistoryStore& history, const HistoryChoice& choice);

// --config, else ./schema-audit.toml when present, else the defaults.
audit::Config load_config_option(const GlobalOptions& global);

// Stores `result` as the snapshot of `name` in `history` (at `location`). When the history
// cannot take it, keeps the snapshot in a recovery file (a SQLite history of its own) that
// "schema-audit history import" loads later, and throws util::Fatal(history) saying where.
// Returns the stored snapshot's id.
std::int64_t save_or_keep(model::HistoryStore& history,
                  const std::string& location,
                  const model::AuditResult& result,
                  const std::string& name);

} // namespace app
