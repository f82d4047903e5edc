#include "app/commands.hpp"

#include "report/model.hpp"
#include "report/render.hpp"
#include "store/history.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace app {

namespace {

struct ReportArgs
{
  std::filesystem::path history;
  std::optional<std::string> db_name;
  std::string format = "html";
  std::optional<std::filesystem::path> output;
};

int
run_report_command(const ReportArgs& args, const GlobalOptions& global)
{
  const store::History history(args.history, store::History::Mode::read_only);
  auto names = history.target_names();
  if (args.db_name) {
    if (std::find(names.begin(), names.end(), *args.db_name) == names.end()) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("--db-name {}: no snapshots of that database in {}; it has: {}", *args.db_name,
                                    args.history.string(), names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
    }
    names = {*args.db_name};
  }
  if (names.empty()) {
    throw util::Fatal(util::ExitCode::history,
                      fmt::format("history file {} holds no snapshots yet; run \"schema-audit audit --history {}\" first",
                                  args.history.string(), args.history.string()));
  }
  std::vector<report::DatabaseHistory> databases;
  for (const auto& name : names) {
    report::DatabaseHistory db{name, {}};
    for (const auto& info : history.list(name)) {
      db.snapshots.push_back(history.load(info.id));
    }
    databases.push_back(std::move(db));
  }
  const auto model = report::build_model(databases, util::now_epoch());
  const auto format = args.format == "json"       ? report::Format::json
                      : args.format == "markdown" ? report::Format::markdown
                                                  : report::Format::html;
  write_output(args.output, [&](std::ostream& out) { report::render(model, format, global.templates, out); });
  return 0;
}

} // namespace

void
add_report_command(CLI::App& app, GlobalOptions& global, Action& chosen)
{
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Render a trend report from the stored snapshots");
  cmd->add_option("--history", args->history, "SQLite history file")->required();
  cmd->add_option("--db-name", args->db_name, "Only this database (as named in the history)");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"html", "markdown", "json"}));
  cmd->add_option("-o,--output", args->output, "Write the report to this file instead of stdout");
  add_templates_option(*cmd, global);
  cmd->callback([args, &global, &chosen]() { chosen = [args, &global]() { return run_report_command(*args, global); }; });
}

} // namespace app
