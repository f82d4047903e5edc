#include "app/commands.hpp"

#include "audit/registry.hpp"
#include "audit/runner.hpp"
#include "report/audit_output.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "store/history.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace app {

namespace {

struct AuditArgs
{
  std::string db;
  std::optional<std::filesystem::path> history;
  std::string format = "text";
  std::optional<std::filesystem::path> output;
  std::string fail_on = "none";
  std::optional<std::string> as_of;
  std::optional<std::string> name;
  std::optional<int> jobs;
  std::optional<int> statement_timeout_ms;
  std::optional<int> lock_timeout_ms;
  std::vector<std::string> checks;
  std::vector<std::string> opt_ins;
  bool no_progress = false;
};

void
print_progress(std::size_t done, std::size_t total, std::string_view check)
{
  std::fprintf(stderr, "\r\033[K[%zu/%zu] %.*s", done, total, static_cast<int>(check.size()), check.data());
  if (done == total) {
    std::fprintf(stderr, "\r\033[K");
  }
  std::fflush(stderr);
}

int
run_audit_command(const AuditArgs& args, const GlobalOptions& global)
{
  const auto config = load_config_option(global);
  const auto registry = audit::Registry::load(global.queries);

  audit::AuditOptions options;
  options.conninfo = args.db;
  options.jobs = args.jobs.value_or(config.jobs.value_or(2));
  options.session.statement_timeout_ms =
    args.statement_timeout_ms.value_or(config.statement_timeout_ms.value_or(options.session.statement_timeout_ms));
  options.session.lock_timeout_ms =
    args.lock_timeout_ms.value_or(config.lock_timeout_ms.value_or(options.session.lock_timeout_ms));
  options.opt_ins.insert(args.opt_ins.begin(), args.opt_ins.end());
  for (const auto& id : args.checks) {
    if (!registry.find(id)) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("--check {}: no such check; list them with \"schema-audit checks\"", id));
    }
    options.only_checks.insert(id);
  }
  options.taken_at = util::now_epoch();
  if (args.as_of) {
    const auto when = util::parse_iso(*args.as_of);
    if (!when) {
      throw util::Fatal(util::ExitCode::usage,
                        fmt::format("--as-of {}: expected a time such as 2026-03-31 or 2026-03-31T09:00:00Z", *args.as_of));
    }
    options.taken_at = *when;
  }
  if (!args.no_progress && ::isatty(STDERR_FILENO)) {
    options.progress = print_progress;
  }

  // Open (and migrate) the history first: a bad file fails before the audit runs.
  std::optional<store::History> history;
  if (args.history) {
    history.emplace(*args.history, store::History::Mode::read_write);
  }
  auto name_of = [&](const pg::Target& target) { return args.name.value_or(target.dbname); };
  if (history) {
    options.load_previous = [&](const pg::Target& target) { return history->previous(name_of(target)); };
  }

  const auto result = audit::run_audit(registry, config, options);
  const auto name = name_of(result.target);
  if (history) {
    history->save(result, name);
  }

  write_output(args.output, [&](std::ostream& out) {
    if (args.format == "json") {
      out << report::audit_json(result, name).dump(2) << '\n';
    } else if (args.format == "markdown") {
      const auto model = report::build_model({report::DatabaseHistory{name, {report::to_snapshot(result, name)}}},
                                             result.taken_at);
      report::render(model, report::Format::markdown, global.templates, out);
    } else {
      report::write_audit_text(result, out);
    }
  });

  if (args.fail_on != "none") {
    const auto threshold = audit::parse_severity(args.fail_on).value();
    const bool failed = std::any_of(result.findings.begin(), result.findings.end(),
                                    [&](const audit::Finding& f) { return f.severity >= threshold; });
    if (failed) {
      return static_cast<int>(util::ExitCode::findings);
    }
  }
  return static_cast<int>(util::ExitCode::ok);
}

} // namespace

void
add_audit_command(CLI::App& app, GlobalOptions& global, Action& chosen)
{
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand("audit", "Audit a database: run every check, print findings, store a snapshot");
  cmd->add_option("--db", args->db,
                  "libpq connection string or postgresql:// URL (default: PGHOST, PGPORT, PGDATABASE, "
                  "PGUSER, PGSERVICE and ~/.pgpass)");
  cmd->add_option("--history", args->history, "SQLite history file to store this audit in (created if missing)");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_option("-o,--output", args->output, "Write the output to this file instead of stdout");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit with code 1 when a finding is at or above this severity")
    ->check(CLI::IsMember({"none", "info", "low", "medium", "high", "critical"}));
  cmd->add_option("--as-of", args->as_of,
                  "Stamp the snapshot with this time instead of now (ISO 8601; for back-fills and demos)");
  cmd->add_option("--name", args->name, "Name of this database in the history (default: its database name)");
  cmd->add_option("-j,--jobs", args->jobs, "Parallel connections for the checks (default 2)")->check(CLI::Range(1, 64));
  cmd->add_option("--statement-timeout", args->statement_timeout_ms, "Per-statement timeout in ms (default 30000)")
    ->check(CLI::Range(1, 86400000));
  cmd->add_option("--lock-timeout", args->lock_timeout_ms, "Lock wait timeout in ms (default 1000)")
    ->check(CLI::Range(1, 86400000));
  cmd->add_option("--check", args->checks, "Run only this check (repeatable)");
  cmd->add_option("--opt-in", args->opt_ins, "Enable an opt-in mode (repeatable), e.g. exact_bloat");
  cmd->add_flag("--no-progress", args->no_progress, "Never show progress on stderr");
  add_config_option(*cmd, global);
  add_queries_option(*cmd, global);
  add_templates_option(*cmd, global);
  cmd->callback([args, &global, &chosen]() { chosen = [args, &global]() { return run_audit_command(*args, global); }; });
}

} // namespace app
