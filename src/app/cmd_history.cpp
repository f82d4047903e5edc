#include "app/commands.hpp"

#include "report/json_writer.hpp"
#include "report/render.hpp"
#include "store/history_import.hpp"
#include "store/history_store.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace app {

namespace {

struct HistoryArgs
{
  HistoryChoice history;
  std::string format = "text";
  std::filesystem::path import_file;
};

// `history import FILE`: the snapshots of a recovery file into --history, then one line saying
// how many.
int
run_import_command(const HistoryArgs& args)
{
  std::error_code ec;
  if (!std::filesystem::is_regular_file(args.import_file, ec)) {
    throw util::Fatal(util::ExitCode::usage, fmt::format("recovery file {} does not exist; give the file an audit "
                                                         "named on stderr",
                                                         args.import_file.string()));
  }
  const auto recovery = store::open_history_file(args.import_file, model::HistoryStore::Mode::read_only);
  const auto into = store::open_history(args.history.location, model::HistoryStore::Mode::read_write);
  const auto count = store::import_snapshots(*recovery, *into);
  fmt::print("imported {} snapshot(s) from {} into {}{}\n", count.imported, args.import_file.string(),
             history_display(args.history.location),
             count.already_there ? fmt::format(" ({} already there)", count.already_there) : "");
  return 0;
}

} // namespace

void
add_history_command(CLI::App& app, GlobalOptions&, Action& chosen)
{
  auto args = std::make_shared<HistoryArgs>();
  auto* cmd = app.add_subcommand("history", "List the stored snapshots, or import a recovery file");
  add_history_options(*cmd, args->history, "Only this database");
  add_format_option(*cmd, args->format);
  auto* import = cmd->add_subcommand("import", "Load the snapshots of a recovery file (written when the history "
                                               "could not take an audit) into --history");
  import->add_option("FILE", args->import_file, "The recovery file named on stderr")->required();
  import->fallthrough();
  import->callback([args, &chosen]() { chosen = [args]() { return run_import_command(*args); }; });
  cmd->require_subcommand(0, 1);
  cmd->callback([args, import, &chosen]() {
    if (import->parsed()) {
      return;
    }
    chosen = [args]() {
      const auto history = store::open_history(args->history.location, model::HistoryStore::Mode::read_only);
      const auto snapshots = history->list(args->history.db_name);
      if (args->format == "json") {
        auto out = nlohmann::json::array();
        for (const auto& s : snapshots) {
          out.push_back({{"id", s.id}, {"name", s.target_name}, {"dbname", s.dbname}, {"host", s.host},
                         {"port", s.port}, {"taken_at", util::format_iso(s.taken_at)},
                         {"server_version", s.server_version}, {"findings", s.finding_count},
                         {"skipped", s.skipped_count}});
        }
        report::write_json(out, std::cout);
        std::cout << '\n';
        return 0;
      }
      if (args->format == "markdown") {
        fmt::print("| Id | Taken at | Database | Findings | Skipped | Server |\n| ---: | --- | --- | ---: | ---: | --- |\n");
        for (const auto& s : snapshots) {
          fmt::print("| {} | {} | {} | {} | {} | {} |\n", s.id, util::format_iso(s.taken_at),
                     report::markdown_escape(s.target_name), s.finding_count, s.skipped_count,
                     report::markdown_escape(s.server_version));
        }
        return 0;
      }
      fmt::print("{:>4}  {:<20}  {:<20}  {:>8}  {:>7}  {}\n", "id", "taken at", "database", "findings", "skipped", "server");
      for (const auto& s : snapshots) {
        fmt::print("{:>4}  {:<20}  {:<20}  {:>8}  {:>7}  {}\n", s.id, util::format_iso(s.taken_at),
                   util::printable(s.target_name), s.finding_count, s.skipped_count,
                   util::printable(s.server_version));
      }
      return 0;
    };
  });
}

} // namespace app
