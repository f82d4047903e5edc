#include "app/commands.hpp"

#include "app/output.hpp"

#include "report/diff.hpp"
#include "report/render.hpp"
#include "store/history_store.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>

namespace app {

namespace {

struct DiffArgs
{
  HistoryChoice history;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::string format = "text";
  std::optional<std::filesystem::path> output;
};

// `spec` as a snapshot of `snapshots`: an id, or a date/time meaning the last snapshot taken
// at or before it (a bare date counts until the end of that day).
const model::SnapshotInfo&
pick(const std::vector<model::SnapshotInfo>& snapshots, const std::string& option, const std::string& spec)
{
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), id);
  if (ec == std::errc() && end == spec.data() + spec.size()) {
    const auto it = std::find_if(snapshots.begin(), snapshots.end(), [&](const auto& s) { return s.id == id; });
    if (it == snapshots.end()) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("{} {}: no such snapshot of this database; list them with \"schema-audit history\"",
                                    option, spec));
    }
    return *it;
  }
  auto when = util::parse_iso(spec);
  if (!when) {
    throw util::Fatal(util::ExitCode::usage,
                      fmt::format("{} {}: expected a snapshot id or a date such as 2026-03-31", option, spec));
  }
  if (spec.size() == 10) {
    *when += 86400 - 1;
  }
  const model::SnapshotInfo* found = nullptr;
  for (const auto& s : snapshots) {
    if (s.taken_at <= *when) {
      found = &s;
    }
  }
  if (!found) {
    throw util::Fatal(util::ExitCode::usage, fmt::format("{} {}: no snapshot taken on or before that date", option, spec));
  }
  return *found;
}

// The catalog's changes recorded by the snapshots after `from` up to `to`, when both have a catalog.
void
add_schema_changes(const model::HistoryStore& history, const std::string& name, const model::SnapshotInfo& from,
                   const model::SnapshotInfo& to, report::Diff& diff)
{
  const auto snapshots = history.catalog_changes(name);
  const auto has = [&](std::int64_t id) {
    return std::any_of(snapshots.begin(), snapshots.end(), [&](const model::SnapshotChanges& s) { return s.snapshot_id == id; });
  };
  diff.schema_catalog = has(from.id) && has(to.id);
  if (!diff.schema_catalog) {
    return;
  }
  const auto spans = model::deprecation_spans(snapshots);
  bool after_from = false;
  for (const auto& s : snapshots) {
    if (after_from) {
      for (auto& line : report::change_lines(s, spans)) {
        diff.schema_changes.push_back(std::move(line));
      }
    }
    if (s.snapshot_id == from.id) {
      after_from = true;
    }
    if (s.snapshot_id == to.id) {
      break;
    }
  }
}

int
run_diff_command(const DiffArgs& args, const GlobalOptions& global)
{
  const Output output(args.output);
  const auto store = store::open_history(args.history.location, model::HistoryStore::Mode::read_only);
  const auto& history = *store;
  const auto names = databases_to_read(history, args.history);
  if (names.size() > 1) {
    throw util::Fatal(util::ExitCode::usage,
                      fmt::format("history {} holds several databases ({}); choose one with --db-name",
                                  history_display(args.history.location), fmt::join(names, ", ")));
  }
  const auto& name = names.front();
  const auto snapshots = history.list(name);
  const auto& to = args.to ? pick(snapshots, "--to", *args.to) : snapshots.back();
  const model::SnapshotInfo* from = nullptr;
  if (args.from) {
    from = &pick(snapshots, "--from", *args.from);
  } else {
    // The snapshot just before --to.
    for (const auto& s : snapshots) {
      if (s.id != to.id && (s.taken_at < to.taken_at || (s.taken_at == to.taken_at && s.id < to.id))) {
        from = &s;
      }
    }
    if (!from) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("{} has only one snapshot of {} up to snapshot {}: nothing to compare with; "
                                    "audit again, or give --from",
                                    history_display(args.history.location), name, to.id));
    }
  }
  const auto pair = history.load_changed(from->id, to.id);
  auto diff = report::build_diff(pair.from, pair.to, util::now_epoch(), pair.unchanged);
  add_schema_changes(history, name, *from, to, diff);
  const auto format = report::format_named(args.format);
  output.write([&](std::ostream& out) { report::render_diff(diff, format, global.templates, out); });
  return 0;
}

} // namespace

void
add_diff_command(CLI::App& app, GlobalOptions& global, Action& chosen)
{
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand("diff", "Show what is new, fixed, worse or better between two snapshots, and the fixes that changed");
  add_history_options(*cmd, args->history, "Database (as named in the history); needed when it holds several");
  cmd->add_option("--from", args->from, "Older snapshot: id or date (default: the one before --to)");
  cmd->add_option("--to", args->to, "Newer snapshot: id or date (default: the latest)");
  add_format_option(*cmd, args->format);
  add_output_option(*cmd, args->output, "the diff");
  add_templates_option(*cmd, global);
  cmd->callback([args, &global, &chosen]() { chosen = [args, &global]() { return run_diff_command(*args, global); }; });
}

} // namespace app
