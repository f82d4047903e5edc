#include "app/commands.hpp"

#include "app/cli.hpp"
#include "app/output.hpp"

#include "audit/registry.hpp"
#include "audit/runner.hpp"
#include "report/audit_output.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "pg/conninfo.hpp"
#include "querylog/log_paths.hpp"
#include "store/history_store.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <future>
#include <sys/ioctl.h>
#include <unistd.h>

namespace app {

namespace {

struct AuditArgs
{
  std::string db;
  std::optional<std::string> host; // -h/-p/-U, as psql takes them
  std::optional<std::string> port;
  std::optional<std::string> user;
  std::vector<std::string> replicas;
  std::vector<std::string> query_logs;
  std::optional<std::string> log_line_prefix;
  std::optional<std::string> history; // a SQLite file or a PostgreSQL connection string
  std::string format = "text";
  std::optional<std::filesystem::path> output;
  std::string fail_on = "none";
  std::optional<std::string> as_of;
  std::optional<std::string> name;
  audit::SessionLimits limits; // --jobs, --statement-timeout, --lock-timeout
  std::vector<std::string> checks;
  std::vector<std::string> opt_ins;
  bool no_progress = false;
  bool expand = false;
  std::string color = "auto"; // --color: auto (a terminal, unless NO_COLOR), always, never
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

// The exit code --fail-on asks for: `incomplete` when a check failed to run (its findings are
// missing, so "nothing at or above" cannot be claimed), else `findings` when one is at or above
// the threshold. A check skipped for an unmet need is not a failure.
util::ExitCode
fail_on_code(const AuditArgs& args, const model::AuditResult& result)
{
  if (args.fail_on == "none") {
    return util::ExitCode::ok;
  }
  if (std::any_of(result.skipped.begin(), result.skipped.end(), [](const model::SkippedCheck& s) { return s.failed(); })) {
    return util::ExitCode::incomplete;
  }
  const auto threshold = model::parse_severity(args.fail_on).value();
  const auto& findings = result.findings.heads();
  const bool over = std::any_of(findings.begin(), findings.end(),
                                [&](const model::FindingHead& f) { return f.severity >= threshold; });
  return over ? util::ExitCode::findings : util::ExitCode::ok;
}

// The replicas' connection strings, checked before any connection like --db's: `what` names
// them in the message ("--replica", "target \"x\" replicas"), which never quotes the string.
void
validate_replicas(const std::vector<std::string>& replicas, std::string_view what, util::ExitCode code)
{
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    try {
      pg::validate_conninfo(replicas[i]);
      if (replicas[i].empty()) {
        throw util::Fatal(code, "an empty connection string would audit the --db server itself");
      }
    } catch (const util::Fatal& e) {
      throw util::Fatal(code, fmt::format("{} (number {}): cannot use it: give key=value pairs (\"host=... "
                                          "dbname=...\") or a postgresql:// URL of the replica",
                                          what, i + 1));
    }
  }
}

// The [[targets]] of the config, checked before any connection: unique names, connection
// strings that parse (the message names the target, never the string: it may hold a password).
void
validate_targets(const audit::Config& config)
{
  std::set<std::string> names;
  for (const auto& t : config.targets) {
    if (!names.insert(t.name).second) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("[[targets]] name \"{}\" appears twice; names must be unique "
                                    "(they name the snapshots)",
                                    t.name));
    }
    try {
      pg::validate_conninfo(t.db);
    } catch (const util::Fatal& e) {
      throw util::Fatal(util::ExitCode::config, fmt::format("target \"{}\": {}", t.name, e.what()));
    }
    validate_replicas(t.replicas, fmt::format("target \"{}\" replicas", t.name), util::ExitCode::config);
    try {
      querylog::expand_log_paths(t.query_logs);
    } catch (const util::Error& e) {
      throw util::Fatal(util::ExitCode::config, fmt::format("target \"{}\": {}", t.name, e.what()));
    }
  }
}

// The report options of an audit's Markdown output: what the report shows since its first
// version, check ids as titles and no rationales, with the checks' chart and board metadata.
report::ModelOptions
report_options(const audit::Config& config, const audit::Registry& registry)
{
  report::ModelOptions options(registry.checks(), config.stats_min_age_days);
  options.check_texts = false;
  return options;
}

// The columns of the terminal text output goes to: COLUMNS when set (as ls and git honour it),
// else the terminal's width when stdout is one; 0 (no limit) for a file or a pipe.
std::size_t
output_width(bool terminal)
{
  if (const auto* columns = std::getenv("COLUMNS"); columns && *columns) {
    std::size_t width = 0;
    const auto [end, ec] = std::from_chars(columns, columns + std::strlen(columns), width);
    if (ec == std::errc() && *end == '\0' && width > 0) {
      return width;
    }
  }
  struct winsize size{};
  if (terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 0;
}

// How text output is laid out: one line per entry, or each in full with -v or --expand; lines
// cut to the terminal's width; colour with --color always, or with auto when the output is a
// terminal (stdout, no --output file), NO_COLOR is unset and TERM is not "dumb".
report::TextOptions
text_options(const AuditArgs& args, const GlobalOptions& global)
{
  const auto* no_color = std::getenv("NO_COLOR");
  const auto* term = std::getenv("TERM");
  const bool terminal = !args.output && ::isatty(STDOUT_FILENO);
  const bool colored = terminal && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
  report::TextOptions options;
  options.expand = args.expand;
  options.verbose = global.verbosity > 0;
  options.color = args.color == "always" || (args.color == "auto" && colored);
  options.width = args.output ? 0 : output_width(terminal);
  return options;
}

// The output of a fleet audit: one JSON document, one Markdown report, or each target's text.
void
write_fleet_output(const AuditArgs& args,
                   const GlobalOptions& global,
                   const report::ModelOptions& report_options,
                   const std::vector<audit::FleetOutcome>& outcomes,
                   std::size_t failed,
                   std::int64_t taken_at,
                   std::ostream& out)
{
  if (args.format == "json") {
    nlohmann::json targets = nlohmann::json::array();
    std::vector<const model::AuditResult*> audited;
    for (const auto& o : outcomes) {
      if (o.result) {
        auto one_json = report::audit_json_deferred(*o.result, o.name, audited.size());
        audited.push_back(&*o.result);
        one_json["status"] = "ok";
        targets.push_back(std::move(one_json));
      } else {
        targets.push_back(nlohmann::json{{"schema_version", 1},
                                         {"target", nlohmann::json{{"name", o.name}}},
                                         {"status", "failed"},
                                         {"error", o.error},
                                         {"exit_code", static_cast<int>(o.code)}});
      }
    }
    const nlohmann::json doc{{"schema_version", 1},
                             {"targets", std::move(targets)},
                             {"succeeded", outcomes.size() - failed},
                             {"failed", failed}};
    report::write_json_with_findings(doc, audited, out);
    out << '\n';
  } else if (args.format == "markdown") {
    std::vector<report::DatabaseHistory> databases;
    for (const auto& o : outcomes) {
      if (o.result) {
        databases.push_back(report::history_of(o.name, {report::to_snapshot(*o.result, o.name)}));
      }
    }
    report::render(report::build_model(databases, taken_at, report_options), report::Format::markdown, global.templates, out);
  } else {
    for (const auto& o : outcomes) {
      out << "== " << util::printable(o.name) << " ==\n";
      if (o.result) {
        report::write_audit_text(*o.result, out, text_options(args, global));
      } else {
        out << "failed: " << util::printable(o.error) << "\n";
      }
      out << '\n';
    }
    out << fmt::format("{} target(s) audited, {} failed\n", outcomes.size() - failed, failed);
  }
}

// The output of the audit of one database (`result`, stored as `name`).
void
write_audit_output(const AuditArgs& args,
                   const GlobalOptions& global,
                   const report::ModelOptions& report_options,
                   const model::AuditResult& result,
                   const std::string& name,
                   std::ostream& out)
{
  if (args.format == "json") {
    report::write_audit_json(result, name, out);
    out << '\n';
  } else if (args.format == "markdown") {
    const std::vector<report::DatabaseHistory> databases{report::history_of(name, {report::to_snapshot(result, name)})};
    report::render(report::build_model(databases, result.taken_at, report_options), report::Format::markdown,
                   global.templates, out);
  } else {
    report::write_audit_text(result, out, text_options(args, global));
  }
}

// `audit --config FILE` with [[targets]] and no --db: every target, --jobs connections overall.
// A target that fails is reported on stderr and the others go on; its snapshot is not stored.
int
run_fleet_command(const AuditArgs& args,
                  const GlobalOptions& global,
                  const audit::Config& config,
                  const audit::Registry& registry,
                  const audit::AuditOptions& options,
                  const Output& output,
                  model::HistoryStore* history)
{
  if (args.name) {
    throw util::Fatal(util::ExitCode::usage,
                      "--name names a single database; in a fleet audit the [[targets]] names "
                      "name the snapshots (or pass --db to audit one database)");
  }
  validate_targets(config);
  const bool show_progress = options.progress != nullptr;
  std::size_t finished = 0;
  std::size_t not_stored = 0;
  auto on_done = [&](audit::FleetOutcome& outcome) {
    ++finished;
    if (show_progress) {
      std::fprintf(stderr, "\r\033[K");
    }
    if (!outcome.result) {
      print_error(fmt::format("target \"{}\": {}", util::printable(outcome.name), outcome.error));
    } else if (history) {
      // Stored as each target finishes, so that a fleet's results are not all held at once; one
      // that cannot be stored is kept in a recovery file and the others go on.
      try {
        save_or_keep(*history, *args.history, *outcome.result, outcome.name);
      } catch (const util::Fatal& e) {
        print_error(fmt::format("target \"{}\": {}", util::printable(outcome.name), e.what()));
        ++not_stored;
      }
    }
    if (outcome.result && args.format != "markdown") {
      // Outputs other than the report do not show metrics: free the largest part early.
      outcome.result->metrics.clear();
    }
    if (show_progress && finished < config.targets.size()) {
      std::fprintf(stderr, "[%zu/%zu targets] %s done", finished, config.targets.size(), outcome.name.c_str());
      std::fflush(stderr);
    }
  };
  std::function<std::optional<model::PreviousSnapshot>(const std::string&)> load_previous;
  if (history) {
    load_previous = [&](const std::string& name) { return history->previous(name); };
  }
  auto one = options;
  one.progress = nullptr;
  const auto outcomes = audit::run_fleet(registry, config, one, config.targets, load_previous, on_done);
  if (show_progress) {
    std::fprintf(stderr, "\r\033[K");
  }

  std::size_t failed = 0;
  auto fail_on = util::ExitCode::ok; // the strongest over the targets: incomplete > findings > ok
  for (const auto& o : outcomes) {
    if (!o.result) {
      ++failed;
    } else if (const auto code = fail_on_code(args, *o.result); code != util::ExitCode::ok && fail_on != util::ExitCode::incomplete) {
      fail_on = code;
    }
  }

  if (!global.quiet || args.output) {
    output.write([&](std::ostream& out) {
      write_fleet_output(args, global, report_options(config, registry), outcomes, failed, options.taken_at, out);
    });
  }

  if (failed == outcomes.size()) {
    return static_cast<int>(util::ExitCode::connection);
  }
  if (not_stored > 0) {
    return static_cast<int>(util::ExitCode::history);
  }
  if (failed > 0) {
    return static_cast<int>(util::ExitCode::partial);
  }
  return static_cast<int>(fail_on);
}

int
run_audit_command(const AuditArgs& args, const GlobalOptions& global)
{
  const Output output(args.output);
  const auto config = load_config_option(global);
  const auto registry = audit::Registry::load(global.queries);
  registry.check_config(config);

  audit::AuditOptions options;
  options.conninfo = pg::compose_conninfo({args.db, args.host, args.port, args.user});
  validate_replicas(args.replicas, "--replica", util::ExitCode::usage);
  options.replicas = args.replicas;
  options.limit(config.limits);
  options.limit(args.limits);
  const auto modes = registry.opt_in_modes();
  for (const auto& mode : args.opt_ins) {
    if (!modes.count(mode)) {
      throw util::Fatal(util::ExitCode::usage, fmt::format("--opt-in {}: no such mode; the modes are {}",
                                                           util::printable(mode), fmt::join(modes, ", ")));
    }
    options.opt_ins.insert(mode);
  }
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
  if (!args.no_progress && !global.quiet && ::isatty(STDERR_FILENO)) {
    options.progress = print_progress;
  }

  // Open (and migrate) the history first: a bad file fails before the audit runs.
  std::unique_ptr<model::HistoryStore> history;
  if (args.history) {
    history = store::open_history(*args.history, model::HistoryStore::Mode::read_write);
  }
  // Only the history keeps the schema's catalog: without one, it is not read.
  options.read_catalog = history != nullptr;
  if (options.conninfo.empty() && !config.targets.empty()) {
    if (!args.replicas.empty()) {
      throw util::Fatal(util::ExitCode::usage, "--replica goes with --db; in a fleet audit, list each target's "
                                               "replicas in its [[targets]] entry (replicas = [...])");
    }
    if (!args.query_logs.empty() || args.log_line_prefix) {
      throw util::Fatal(util::ExitCode::usage, "--query-log goes with --db; in a fleet audit, list each target's "
                                               "logs in its [[targets]] entry (query_logs = [...])");
    }
    return run_fleet_command(args, global, config, registry, options, output, history.get());
  }
  if (args.log_line_prefix && args.query_logs.empty()) {
    throw util::Fatal(util::ExitCode::usage, "--log-line-prefix describes the logs of --query-log; give those too");
  }
  if (!args.query_logs.empty()) {
    options.query_log = audit::read_query_logs(args.query_logs, args.log_line_prefix, util::ExitCode::usage);
    if (!global.quiet) {
      const auto& log = *options.query_log;
      std::fprintf(stderr, "schema-audit: query logs: %zu file(s), %llu line(s) (%llu not parsed), %zu statement(s) run "
                           "%llu time(s) (%llu did not parse) from %s to %s\n",
                   log.files.size(), static_cast<unsigned long long>(log.lines),
                   static_cast<unsigned long long>(log.unparsed_lines), log.statements.size(),
                   static_cast<unsigned long long>(log.executions), static_cast<unsigned long long>(log.unparsed_executions),
                   util::printable(log.first_timestamp.empty() ? "?" : log.first_timestamp).c_str(),
                   util::printable(log.last_timestamp.empty() ? "?" : log.last_timestamp).c_str());
    }
  }
  auto name_of = [&](const model::Target& target) { return args.name.value_or(target.dbname); };
  if (history) {
    options.load_previous = [&](const model::Target& target) { return history->previous(name_of(target)); };
  }

  const auto result = audit::run_audit(registry, config, options);
  const auto name = name_of(result.target);

  // The output and the snapshot side by side: both are the client's work once the server is
  // done (at 1,000 schemas about 0.7 s and 1.1 s), and they only read the result (the words and
  // evidence through the spill file, whose reads are locked). Neither failure costs the other:
  // the output's is kept until the snapshot is stored, and a failed save waits for the output.
  // The snapshot's own messages follow the output, so that they never land inside it on a
  // terminal.
  std::optional<util::Fatal> output_failed;
  auto written = std::async(std::launch::async, [&] {
    try {
      if (!global.quiet || args.output) {
        output.write([&](std::ostream& out) {
          write_audit_output(args, global, report_options(config, registry), result, name, out);
        });
      }
    } catch (const util::Fatal& e) {
      output_failed = e;
    }
  });
  std::optional<std::int64_t> stored;
  double saving_ms = 0;
  if (history) {
    const auto saving = std::chrono::steady_clock::now();
    stored = save_or_keep(*history, *args.history, result, name);
    saving_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - saving).count();
  }
  written.get();
  if (stored) {
    util::log(util::LogLevel::info, "history: snapshot saved in {:.0f} ms", saving_ms);
    if (!global.quiet) {
      std::fprintf(stderr, "schema-audit: snapshot #%lld of \"%s\" stored in %s\n", static_cast<long long>(*stored),
                   util::printable(name).c_str(), history_display(*args.history).c_str());
    }
  }
  if (output_failed) {
    throw *output_failed;
  }
  return static_cast<int>(fail_on_code(args, result));
}

} // namespace

void
add_audit_command(CLI::App& app, GlobalOptions& global, Action& chosen)
{
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand("audit", "Audit a database: run every check, print findings, store a snapshot");
  cmd->add_option("-d,--db,--dbname", args->db,
                  "libpq connection string, postgresql:// URL or database name (default: PGHOST, PGPORT, "
                  "PGDATABASE, PGUSER, PGSERVICE and ~/.pgpass); without --db, a config with [[targets]] "
                  "audits every target");
  cmd->add_option("-h,--host", args->host, "Server host or socket directory, as psql -h (added to --db)");
  cmd->add_option("-p,--port", args->port, "Server port, as psql -p (added to --db)");
  cmd->add_option("-U,--username", args->user, "Role to connect as, as psql -U (added to --db)");
  cmd->add_option("--replica", args->replicas,
                  "A read replica of --db, as a connection string (repeatable): its usage counters are added "
                  "to the primary's before an index or table is judged unused; one that cannot be reached "
                  "makes those verdicts low confidence");
  cmd->add_option("--query-log", args->query_logs,
                  "A server log file to read statements from (repeatable; globs and .gz accepted): stderr, csvlog "
                  "or jsonlog, with log_min_duration_statement or log_statement; their normalized statements feed "
                  "missing_index_statements and unused_column_statements, with or without pg_stat_statements");
  cmd->add_option("--log-line-prefix", args->log_line_prefix,
                  "The server's log_line_prefix, for --query-log files in the stderr format (default: detected "
                  "from the common forms; %d gives each statement's database)");
  cmd->add_option("--history", args->history,
                  "Where to store this audit: a SQLite file (created if missing), or a PostgreSQL "
                  "database shared by a team (postgresql://... or \"host=... dbname=...\")");
  add_format_option(*cmd, args->format);
  add_output_option(*cmd, args->output, "the output");
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit with code 1 when a finding is at or above this severity, 8 when a check failed to run")
    ->check(CLI::IsMember({"none", "info", "low", "medium", "high", "critical"}));
  cmd->add_option("--as-of", args->as_of,
                  "Stamp the snapshot with this time instead of now (ISO 8601; for back-fills and demos)");
  cmd->add_option("--name", args->name, "Name of this database in the history (default: its database name)");
  cmd->add_option("-j,--jobs", args->limits.jobs, "Parallel connections for the checks (default 2); in a fleet audit, connections "
                  "overall: min(jobs, targets) targets at a time")->check(CLI::Range(1, 64));
  cmd->add_option("--statement-timeout", args->limits.statement_timeout_ms, "Per-statement timeout in ms (default 30000)")
    ->check(CLI::Range(1, 86400000));
  cmd->add_option("--lock-timeout", args->limits.lock_timeout_ms, "Lock wait timeout in ms (default 1000)")
    ->check(CLI::Range(1, 86400000));
  cmd->add_option("--check", args->checks, "Run only this check (repeatable)");
  cmd->add_option("--opt-in", args->opt_ins, "Enable an opt-in mode (repeatable), e.g. exact_bloat");
  cmd->add_flag("--no-progress", args->no_progress, "Never show progress on stderr");
  cmd->add_option("--color", args->color,
                  "Severities in colour in the text output: auto (on a terminal, unless NO_COLOR is set), "
                  "always or never")
    ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--expand", args->expand,
                "Text output: show every finding of every entry in full, with its fix (default: one line per "
                "entry; -v adds the first finding's message, fix and undo)");
  add_config_option(*cmd, global);
  add_queries_option(*cmd, global);
  add_templates_option(*cmd, global);
  cmd->callback([args, &global, &chosen]() { chosen = [args, &global]() { return run_audit_command(*args, global); }; });
}

} // namespace app
