#include "app/commands.hpp"

#include "pg/conninfo.hpp"
#include "store/history_store.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>


namespace app {

void
add_config_option(CLI::App& cmd, GlobalOptions& global)
{
  cmd.add_option("--config", global.config, "TOML config file (default: ./schema-audit.toml when present)");
}

void
add_queries_option(CLI::App& cmd, GlobalOptions& global)
{
  cmd.add_option("--queries", global.queries, "Directory of .sql checks that add to or override the built-in ones");
}

void
add_format_option(CLI::App& cmd, std::string& format)
{
  cmd.add_option("--format", format, "Output format: text, json or markdown (a table for a PR or wiki page)")
    ->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd.add_flag_callback("--json", [&format]() { format = "json"; }, "The same as --format json");
}

void
add_output_option(CLI::App& cmd, std::optional<std::filesystem::path>& output, std::string_view what)
{
  cmd.add_option("-o,--output", output, fmt::format("Write {} to this file instead of stdout", what));
}

void
add_history_options(CLI::App& cmd, HistoryChoice& choice, std::string db_name_help)
{
  cmd.add_option("--history", choice.location,
                 "The history to read: a SQLite file, or a PostgreSQL database shared by a team "
                 "(postgresql://... or \"host=... dbname=...\")")
    ->required();
  cmd.add_option("--db-name", choice.db_name, std::move(db_name_help));
}

std::string
history_display(const std::string& location)
{
  return store::is_postgresql_location(location) ? pg::redact_conninfo(location) : location;
}

std::vector<std::string>
databases_to_read(const model::HistoryStore& history, const HistoryChoice& choice)
{
  const auto& [location, db_name] = choice;
  const auto names = history.target_names();
  if (db_name) {
    if (std::find(names.begin(), names.end(), *db_name) == names.end()) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("--db-name {}: no snapshots of that database in {}; it has: {}", *db_name,
                                    history_display(location),
                                    names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
    }
    return {*db_name};
  }
  if (names.empty()) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history {} holds no snapshots yet; run \"schema-audit audit --history {}\" first",
                                  history_display(location), history_display(location)));
  }
  return names;
}

void
add_templates_option(CLI::App& cmd, GlobalOptions& global)
{
  cmd.add_option("--templates", global.templates, "Directory whose report.*.mustache files override the built-in templates");
}

audit::Config
load_config_option(const GlobalOptions& global)
{
  if (global.config) {
    return audit::load_config(*global.config);
  }
  std::error_code ec;
  if (std::filesystem::exists("schema-audit.toml", ec)) {
    return audit::load_config("schema-audit.toml");
  }
  return audit::default_config();
}

} // namespace app
