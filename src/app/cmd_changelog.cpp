#include "app/commands.hpp"

#include "app/output.hpp"

#include "report/changelog.hpp"
#include "store/history_store.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

namespace app {

namespace {

struct ChangelogArgs
{
  HistoryChoice history;
  std::optional<std::string> since;
  std::optional<std::filesystem::path> output;
};

int
run_changelog_command(const ChangelogArgs& args)
{
  std::optional<std::int64_t> since;
  if (args.since) {
    since = util::parse_iso(*args.since);
    if (!since) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("--since {}: expected a date such as 2026-01-01", *args.since));
    }
  }
  const Output output(args.output);
  const auto history = store::open_history(args.history.location, model::HistoryStore::Mode::read_only);
  const auto names = databases_to_read(*history, args.history);
  output.write([&](std::ostream& out) { report::write_changelog(*history, names, since, out); });
  return 0;
}

} // namespace

void
add_changelog_command(CLI::App& app, GlobalOptions&, Action& chosen)
{
  auto args = std::make_shared<ChangelogArgs>();
  auto* cmd = app.add_subcommand("changelog", "Write the schema's changes between snapshots as a Markdown changelog "
                                              "(for db/CHANGELOG.md), newest first");
  add_history_options(*cmd, args->history);
  cmd->add_option("--since", args->since, "Only the snapshots taken on or after this date (2026-01-01)");
  add_output_option(*cmd, args->output, "the changelog");
  cmd->callback([args, &chosen]() { chosen = [args]() { return run_changelog_command(*args); }; });
}

} // namespace app
