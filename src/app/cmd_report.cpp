#include "app/commands.hpp"

#include "app/output.hpp"

#include "report/history.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "store/history_store.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>

namespace app {

namespace {

struct ReportArgs
{
  HistoryChoice history;
  std::string format = "html";
  std::optional<std::filesystem::path> output;
  std::size_t detail_limit = 50;
};

int
run_report_command(const ReportArgs& args, const GlobalOptions& global)
{
  const auto started = std::chrono::steady_clock::now();
  const Output output(args.output);
  const auto history = store::open_history(args.history.location, model::HistoryStore::Mode::read_only);
  const auto names = databases_to_read(*history, args.history);
  const auto registry = audit::Registry::load(global.queries);
  const auto config = load_config_option(global);
  std::vector<report::DatabaseHistory> databases;
  for (const auto& name : names) {
    databases.push_back(report::load_history(*history, name));
  }
  const auto loaded = std::chrono::steady_clock::now();
  report::ModelOptions options(registry.checks(), config.stats_min_age_days);
  options.detail_limit = args.detail_limit;
  const auto format = report::format_named(args.format);
  options.full_listing = format == report::Format::json;
  auto model = report::build_model(databases, util::now_epoch(), options);
  const auto modelled = std::chrono::steady_clock::now();
  output.write([&](std::ostream& out) { report::render(model, format, global.templates, out); });
  const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  util::log(util::LogLevel::info, "report: loaded in {:.0f} ms, model built in {:.0f} ms, rendered in {:.0f} ms",
            ms(started, loaded), ms(loaded, modelled), ms(modelled, std::chrono::steady_clock::now()));
  // The process ends after this command: hand the model and the snapshots to the exit instead of
  // freeing them. For a large history they are about a million small allocations, and freeing
  // them one by one took ~40-90 ms of a 0.4-0.5 s report; the memory goes back to the system at
  // exit either way. The pointers are volatile so that the stores happen and leak checkers find
  // the objects reachable (plain unread statics were optimized away, and LeakSanitizer said so).
  [[maybe_unused]] static const report::Report* volatile kept_model = nullptr;
  [[maybe_unused]] static const std::vector<report::DatabaseHistory>* volatile kept_databases = nullptr;
  kept_model = new report::Report(std::move(model));
  kept_databases = new std::vector<report::DatabaseHistory>(std::move(databases));
  return 0;
}

} // namespace

void
add_report_command(CLI::App& app, GlobalOptions& global, Action& chosen)
{
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Render a trend report from the stored snapshots");
  add_history_options(*cmd, args->history);
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"html", "markdown", "json"}));
  add_output_option(*cmd, args->output, "the report");
  cmd->add_option("--detail", args->detail_limit,
                  "Show this many entries (findings grouped by cause) in full in HTML and Markdown, the rest as a table (default 50)")
    ->check(CLI::Range(0, 1000000));
  add_config_option(*cmd, global);
  add_queries_option(*cmd, global);
  add_templates_option(*cmd, global);
  cmd->callback([args, &global, &chosen]() { chosen = [args, &global]() { return run_report_command(*args, global); }; });
}

} // namespace app
