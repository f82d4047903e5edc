#include "audit/runner.hpp"

#include "audit/checks/check_logic.hpp"
#include "audit/finding_rows.hpp"
#include "audit/group_findings.hpp"
#include "audit/needs.hpp"
#include "audit/one_entry_per_object.hpp"
#include "audit/parked_findings.hpp"
#include "audit/read_catalog.hpp"
#include "audit/rebuild_guards.hpp"
#include "audit/replica_usage.hpp"
#include "audit/shared_inputs.hpp"
#include "querylog/read_query_logs.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include <malloc.h> // malloc_trim (glibc)

namespace audit {

namespace {

bool
suppression_matches(const Suppression& s, const model::Finding& f, std::int64_t now)
{
  if (s.expires && *s.expires <= now) {
    return false;
  }
  if (!s.fingerprint.empty() && s.fingerprint != f.fingerprint) {
    return false;
  }
  if (!s.check.empty() && s.check != f.check_id && s.check != f.category) {
    return false;
  }
  return s.object.empty() || util::glob_match(s.object, f.object);
}

// $1..$n of `def`: the config's [checks.<id>] value, else a global of the same name, else the
// header default.
std::vector<std::string>
bind_params(const model::CheckDef& def, const Config& config)
{
  std::vector<std::string> values;
  const auto settings = config.checks.find(def.id);
  for (const auto& [name, fallback] : def.params) {
    if (settings != config.checks.end()) {
      if (const auto it = settings->second.params.find(name); it != settings->second.params.end()) {
        values.push_back(it->second);
        continue;
      }
    }
    values.push_back(config.global(name).value_or(fallback));
  }
  return values;
}

struct CheckOutcome
{
  // Its findings: where they wait in the audit's ParkedFindings, then those that could not be
  // parked, in memory (set_aside).
  std::vector<std::int64_t> parked;
  std::vector<model::Finding> findings;
  model::MetricList metrics;
  std::optional<model::SkippedCheck> skipped;
  model::CheckTiming timing;
};

model::SkipCause
skip_cause_of(pg::FailureCause cause)
{
  switch (cause) {
  case pg::FailureCause::lock_timeout:
    return model::SkipCause::lock_timeout;
  case pg::FailureCause::statement_timeout:
    return model::SkipCause::statement_timeout;
  case pg::FailureCause::cancelled:
    return model::SkipCause::cancelled;
  case pg::FailureCause::no_privilege:
    return model::SkipCause::no_privilege;
  case pg::FailureCause::error:
    break;
  }
  return model::SkipCause::error;
}

bool
needs_history(const model::CheckDef& def)
{
  return std::find(def.needs.begin(), def.needs.end(), "history") != def.needs.end();
}

// The previous snapshot, loaded on a thread of its own while the first checks run: only the row
// mapping (and the decision to run a check that needs history) waits for it.
class PreviousLoader
{
public:
  PreviousLoader(const AuditOptions& options, const model::Target& target)
  {
    if (!options.load_previous) {
      std::promise<std::optional<model::PreviousSnapshot>> none;
      none.set_value(std::nullopt);
      m_future = none.get_future().share();
      return;
    }
    m_future = std::async(std::launch::async, [&options, target]() {
                 const auto start = std::chrono::steady_clock::now();
                 auto previous = options.load_previous(target);
                 util::log(util::LogLevel::info, "previous snapshot loaded in {:.0f} ms",
                           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
                 return previous;
               }).share();
  }
  ~PreviousLoader()
  {
    if (m_future.valid()) {
      m_future.wait(); // never leave the thread using the history behind
    }
  }
  PreviousLoader(const PreviousLoader&) = delete;
  PreviousLoader& operator=(const PreviousLoader&) = delete;

  // Throws what load_previous threw.
  const std::optional<model::PreviousSnapshot>& get() const { return m_future.get(); }

  // Frees the snapshot once the checks are done with it (its metrics and every fingerprint's
  // first-seen time: a third of a repeated audit's memory when the findings are gathered),
  // after throwing what load_previous threw.
  void release()
  {
    get();
    m_future = {};
  }

private:
  std::shared_future<std::optional<model::PreviousSnapshot>> m_future;
};

// A check's rows are read and mapped this many at a time (pg::Session::run_in_pages): the rows
// in flight, as the server sends them and as text, are a page's, not the check's (70,000 metric
// rows on the 1,000-schema benchmark, findings with their fixes).
constexpr std::size_t k_check_page_rows = 1000;

// Moves the findings of a page of `outcome`'s check out of memory: their words and evidence to
// `spill`, the rest to `parked`. Once a page could not be parked (no usable TMPDIR, a full disk),
// that page and the later ones stay in the outcome's list, after the parked ones, in order.
void
set_aside(std::vector<model::Finding>& page, model::FindingSpill& spill, ParkedFindings& parked, CheckOutcome& outcome)
{
  spill.spill(page);
  if (outcome.findings.empty()) {
    if (auto places = parked.park(page)) {
      outcome.parked.insert(outcome.parked.end(), places->begin(), places->end());
      return;
    }
  }
  outcome.findings.insert(outcome.findings.end(), std::make_move_iterator(page.begin()),
                          std::make_move_iterator(page.end()));
}

// What every check of one audit runs with, and where its findings go: their words and evidence
// to `spill`, the findings then to `parked`, a page of rows at a time.
struct ChecksRun
{
  const model::Capabilities& caps;
  const Config& config;
  const AuditOptions& options;
  const PreviousLoader& previous;
  SharedInputs& inputs;
  const ReplicaUsage& replicas;
  model::FindingSpill& spill;
  ParkedFindings& parked;
};

CheckOutcome
run_check(pg::Session& session, const model::CheckDef& def, const ChecksRun& run)
{
  const auto& [caps, config, options, previous, inputs, replicas, spill, parked] = run;
  CheckOutcome outcome;
  outcome.timing.check_id = def.id;
  if (needs_history(def)) {
    if (auto reason = unmet_need(def, caps, options, previous.get().has_value())) {
      outcome.skipped = model::SkippedCheck{def.id, std::move(*reason)};
      return outcome;
    }
  }
  const auto failed = [&](std::string reason, model::SkipCause cause) {
    // The pages read before the failure are not the check's result: none of it is kept.
    outcome.findings = {};
    outcome.parked = {};
    outcome.metrics.clear();
    outcome.skipped = model::SkippedCheck{def.id, std::move(reason), cause};
  };
  try {
    // The inputs it declares follow its params: $n+1, ...
    auto params = bind_params(def, config);
    for (const auto& input : def.inputs) {
      params.push_back(inputs.json(input, session));
    }
    const auto& mapping = checks::check_logic_for(def.id);
    std::any carried;
    const CheckContext ctx{def, caps, config, options, previous.get(), replicas, carried};
    const auto take = [&](pg::QueryResult&& result) {
      outcome.timing.rows += result.rows.size();
      if (def.kind == model::CheckKind::metrics) {
        map_metric_rows(result, outcome.metrics);
      } else {
        std::vector<model::Finding> findings;
        mapping.logic(result, ctx, findings);
        for (auto& f : findings) {
          f.undo = guard_index_rebuilds(f.undo);
        }
        set_aside(findings, spill, parked, outcome);
      }
    };
    const auto& sql = def.sql_for(caps.major());
    std::chrono::microseconds elapsed{0};
    if (mapping.whole_result && def.kind != model::CheckKind::metrics) {
      auto result = session.run(def.id, sql, params);
      elapsed = result.elapsed;
      take(std::move(result));
    } else {
      elapsed = session.run_in_pages(def.id, sql, params, k_check_page_rows, take);
    }
    outcome.timing.milliseconds = static_cast<double>(elapsed.count()) / 1000.0;
    // Held until the end of the audit: without the slack of its growth (up to half of it).
    outcome.findings.shrink_to_fit();
  } catch (const pg::QueryFailed& e) {
    failed(e.what(), skip_cause_of(e.cause()));
    util::log(util::LogLevel::info, "{}: did not run: {}", def.id, e.what());
  } catch (const util::Error& e) {
    failed(e.what(), model::SkipCause::error);
    util::log(util::LogLevel::info, "{}: did not run: {}", def.id, e.what());
  } catch (const std::logic_error& e) { // std::invalid_argument, std::out_of_range from parsing a value
    failed(fmt::format("unexpected value in the query result ({})", e.what()), model::SkipCause::error);
  }
  return outcome;
}

// Reads that open every relation they are given (sizes, sequence values) cost about 0.1 ms
// per relation the first time a server process opens it (building its relation cache entry) and
// a fraction of that afterwards. Checks that call the same ones form a group that the scheduler
// keeps on one connection. So do the checks that declare the same input: the first one reads it,
// and the others, on that connection, never wait for another connection's read. An input
// provided before the checks run (replica_usage) is no reason to keep checks together.
std::string_view
relation_group(const model::CheckDef& def, int server_major, const SharedInputs& inputs)
{
  for (const auto& input : def.inputs) {
    if (!inputs.provided(input)) {
      return input;
    }
  }
  const auto& sql = def.sql_for(server_major);
  const auto calls = [&](std::string_view name) { return sql.find(name) != std::string::npos; };
  if (calls("pg_catalog.pg_sequence ") || calls("pg_sequences")) {
    return "sequences";
  }
  if (calls("pg_table_size") || calls("pg_total_relation_size") || calls("pg_relation_size")) {
    return "sizes";
  }
  return {};
}

// Hands out checks in the runner's order (costliest first) to `workers` connections. A check of
// a relation group goes to the connection that ran the group's first check; another connection
// takes it only when nothing else is left for it.
class Scheduler
{
public:
  explicit Scheduler(std::vector<std::string_view> groups) : m_groups(std::move(groups)), m_taken(m_groups.size(), false) {}

  std::optional<std::size_t> next(std::size_t worker)
  {
    std::lock_guard lock(m_mutex);
    if (m_stopped) {
      return std::nullopt;
    }
    std::optional<std::size_t> steal;
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
      if (m_taken[i]) {
        continue;
      }
      if (!m_groups[i].empty()) {
        const auto [owner, first] = m_owners.emplace(m_groups[i], worker);
        if (owner->second != worker) {
          steal = steal.value_or(i);
          continue;
        }
      }
      m_taken[i] = true;
      return i;
    }
    if (steal) {
      m_taken[*steal] = true;
    }
    return steal;
  }

  void stop()
  {
    std::lock_guard lock(m_mutex);
    m_stopped = true;
  }

private:
  std::mutex m_mutex;
  std::vector<std::string_view> m_groups;
  std::vector<bool> m_taken;
  std::map<std::string_view, std::size_t> m_owners;
  bool m_stopped = false;
};

// The checks of this audit that can run, costliest first (the workers take them in this order,
// so the costliest ones overlap with the many short ones instead of starting last and running
// alone); the ones whose needs the server does not meet go to `skipped`. Whether there is
// history is known once the previous snapshot is loaded: run_check decides for those.
std::vector<const model::CheckDef*>
runnable_checks(const Registry& registry,
                const Config& config,
                const AuditOptions& options,
                const model::Capabilities& caps,
                std::vector<model::SkippedCheck>& skipped)
{
  std::vector<const model::CheckDef*> runnable;
  for (const auto& def : registry.checks()) {
    if (!options.only_checks.empty() && !options.only_checks.count(def.id)) {
      continue;
    }
    if (const auto it = config.checks.find(def.id); it != config.checks.end() && !it->second.enabled) {
      continue;
    }
    if (!needs_history(def)) {
      if (const auto reason = unmet_need(def, caps, options, false)) {
        skipped.push_back(model::SkippedCheck{def.id, *reason});
        continue;
      }
    }
    runnable.push_back(&def);
  }
  std::stable_sort(runnable.begin(), runnable.end(),
                   [](const model::CheckDef* a, const model::CheckDef* b) { return a->cost > b->cost; });
  return runnable;
}

// The main session and up to `jobs` - 1 more that import its snapshot, so every check sees the
// same state: as many as the server grants (a role's CONNECTION LIMIT, max_connections); the
// audit runs with fewer rather than fail.
std::vector<std::unique_ptr<pg::Session>>
open_sessions(std::unique_ptr<pg::Session> main_session, const AuditOptions& options, int jobs)
{
  std::vector<std::unique_ptr<pg::Session>> sessions;
  sessions.push_back(std::move(main_session));
  if (jobs > 1) {
    try {
      const auto snapshot = sessions.front()->export_snapshot();
      for (int i = 1; i < jobs; ++i) {
        sessions.push_back(std::make_unique<pg::Session>(options.conninfo, options.session, snapshot));
      }
    } catch (const std::runtime_error& e) { // util::Error (no snapshot export) or util::Fatal (no connection)
      util::log(util::LogLevel::info, "running checks on {} of {} connections: {}", sessions.size(), jobs, e.what());
    }
  }
  return sessions;
}

// Runs `runnable` on `sessions`, one thread per session, in the scheduler's order; the outcome
// of runnable[i] is outcomes[i]. With several sessions, `first_on_last` (when set)
// runs on the last one before it takes a check, so it overlaps the checks on the others. The
// first fatal error (a lost connection) stops the others and is rethrown.
std::vector<CheckOutcome>
run_checks(const std::vector<const model::CheckDef*>& runnable,
           std::vector<std::unique_ptr<pg::Session>>& sessions,
           const ChecksRun& run,
           std::chrono::steady_clock::time_point start,
           const std::function<void(pg::Session&)>& first_on_last)
{
  const auto& options = run.options;
  std::vector<std::string_view> groups;
  for (const auto* def : runnable) {
    groups.push_back(relation_group(*def, run.caps.major(), run.inputs));
  }
  Scheduler scheduler(std::move(groups));
  std::vector<CheckOutcome> outcomes(runnable.size());
  std::size_t done = 0;
  std::mutex progress_mutex;
  std::exception_ptr fatal;
  auto worker = [&](std::size_t index) {
    try {
      if (first_on_last && sessions.size() > 1 && index == sessions.size() - 1) {
        first_on_last(*sessions[index]);
      }
      while (const auto i = scheduler.next(index)) {
        outcomes[*i] = run_check(*sessions[index], *runnable[*i], run);
        util::log(util::LogLevel::debug, "{}: {:.0f} ms, {} rows, connection {}, done at +{:.0f} ms", runnable[*i]->id,
                  outcomes[*i].timing.milliseconds, outcomes[*i].timing.rows, index + 1,
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        std::lock_guard lock(progress_mutex);
        ++done;
        if (options.progress) {
          options.progress(done, runnable.size(), runnable[*i]->id);
        }
      }
    } catch (...) {
      scheduler.stop();
      std::lock_guard lock(progress_mutex);
      if (!fatal) {
        fatal = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < sessions.size(); ++i) {
    threads.emplace_back(worker, i);
  }
  worker(0);
  for (auto& t : threads) {
    t.join();
  }
  if (fatal) {
    std::rethrow_exception(fatal);
  }
  return outcomes;
}

// Adds the outcomes to `result`: skipped checks, timings, metrics, and findings, each either
// kept or set aside by the first suppression that matches it.
void
collect_outcomes(std::vector<CheckOutcome>& outcomes,
                 const ParkedFindings& parked,
                 const Config& config,
                 const AuditOptions& options,
                 model::AuditResult& result)
{
  // The metrics first, each check's list freed once added: gathered while the findings were,
  // every check's list was still held when the findings' list was reserved (the audit's peak,
  // 52 MB of metrics beside 70 MB of findings at 10,000 schemas). The audit's list is reserved
  // for all of them, with room for the few metrics of the audit itself (replicas, query logs)
  // added after: grown by doubling it held twice its size while it moved.
  auto metrics = result.metrics.footprint();
  std::size_t finding_count = 0;
  for (const auto& outcome : outcomes) {
    metrics += outcome.metrics.footprint();
    finding_count += outcome.findings.size() + outcome.parked.size();
  }
  metrics += {.metrics = 64, .objects = 64, .text = 4096};
  result.metrics.reserve(metrics);
  for (auto& outcome : outcomes) { // a check that failed part way kept none of its rows (run_check)
    result.metrics.append(outcome.metrics);
    outcome.metrics.clear();
  }
  // Reserved once too: tens of thousands of findings pushed one by one were moved again at every
  // growth (a seventh of a second on the 1,000-schema benchmark).
  result.findings.reserve(result.findings.size() + finding_count);
  for (auto& outcome : outcomes) {
    if (outcome.skipped) {
      result.skipped.push_back(std::move(*outcome.skipped));
      continue;
    }
    result.query_ms += outcome.timing.milliseconds;
    result.timings.push_back(outcome.timing);
    const auto keep = [&](model::Finding&& f) {
      const auto s = std::find_if(config.suppressions.begin(), config.suppressions.end(),
                                  [&](const Suppression& sup) {
                                    return suppression_matches(sup, f, options.taken_at);
                                  });
      if (s != config.suppressions.end()) {
        result.suppressed.push_back(model::SuppressedFinding{std::move(f), s->reason});
      } else {
        result.findings.push_back(std::move(f));
      }
    };
    for (const auto at : outcome.parked) {
      keep(parked.take(at));
    }
    for (auto& f : outcome.findings) {
      keep(std::move(f));
    }
    // What was moved out still holds its vectors' storage (a tenth of the findings' memory):
    // freed check by check, not at the end of the audit.
    outcome.findings = {};
    outcome.parked = {};
  }
  merge_same_object_findings(result.findings);
  std::sort(result.skipped.begin(), result.skipped.end(),
            [](const auto& a, const auto& b) { return a.check_id < b.check_id; });
  std::sort(result.timings.begin(), result.timings.end(),
            [](const auto& a, const auto& b) { return a.check_id < b.check_id; });
  model::sort_by_priority(result.findings);
}

// The audit's own reads of the user's tables and indexes (queries/inputs/audit_reads.sql), summed
// over `sessions`, as metrics: the next audit takes them out of the growth of the counters it
// judges. None when they cannot be read (they only sharpen the next audit's usage verdicts: a
// failure here must not cost the finished audit).
model::MetricList
audit_reads(const Registry& registry, int server_major, const std::vector<std::unique_ptr<pg::Session>>& sessions)
{
  model::MetricList metrics;
  const auto* def = registry.find_input("audit_reads");
  if (!def) {
    return metrics;
  }
  std::map<std::tuple<std::string, std::string, std::string>, double> reads;
  for (const auto& session : sessions) {
    try {
      const auto rows = session->run("input audit_reads", def->sql_for(server_major));
      for (const auto& row : rows.rows) {
        reads[{row.at(0).value_or(""), row.at(1).value_or(""), row.at(2).value_or("")}] += std::stod(row.at(3).value_or("0"));
      }
    } catch (const std::exception& e) {
      util::log(util::LogLevel::info, "the audit's own reads are not recorded: {}", e.what());
      return metrics;
    }
  }
  for (const auto& [key, value] : reads) {
    metrics.add(std::get<0>(key), std::get<1>(key), std::get<2>(key), value);
  }
  return metrics;
}

// The partitions' roots, for grouping the findings; none when they cannot be read (grouping
// only shapes the outputs, so a failure here must not cost the finished audit).
PartitionRoots
read_partition_roots(SharedInputs& inputs, pg::Session& session)
{
  try {
    return parse_partition_roots(inputs.json("partition_roots", session));
  } catch (const std::exception& e) {
    util::log(util::LogLevel::info, "partitions are shown one by one: {}", e.what());
    return {};
  }
}

// The replicas' usage counters, read when a check of this audit declares them (a replica is not
// connected to for an audit of other checks).
ReplicaUsage
replica_usage(const Registry& registry,
              const std::vector<const model::CheckDef*>& runnable,
              const AuditOptions& options,
              const model::Capabilities& caps)
{
  const auto declares = [](const model::CheckDef* def) {
    return std::find(def->inputs.begin(), def->inputs.end(), k_replica_usage_input) != def->inputs.end();
  };
  const auto* input = registry.find_input(k_replica_usage_input);
  if (!input || options.replicas.empty() || std::none_of(runnable.begin(), runnable.end(), declares)) {
    ReplicaUsage none;
    none.configured = !options.replicas.empty();
    return none;
  }
  return read_replica_usage(*input, options.replicas, options.session, caps.database);
}

// Which replicas were counted and which not, for the outputs; and what the next audit needs to
// know whether the summed counters it compares with were summed over the same servers since the
// same resets: how many replicas were counted, and when each one's counters began. Metrics are
// written only when a replica was given and read, so histories without replicas do not change;
// "replicas_missed" lets a report say that this audit's usage verdicts lacked a replica.
void
add_replica_status(const ReplicaUsage& replicas, const model::Capabilities& caps, model::AuditResult& result)
{
  for (const auto& r : replicas.counted) {
    result.replicas.push_back(model::ReplicaStatus{r.name, ""});
  }
  for (const auto& m : replicas.missed) {
    result.replicas.push_back(model::ReplicaStatus{m.name, m.reason});
  }
  if (!replicas.missed.empty()) {
    result.metrics.push_back(model::Metric{"database", caps.database, "replicas_missed",
                                           static_cast<double>(replicas.missed.size())});
  }
  if (replicas.counted.empty()) {
    return;
  }
  result.metrics.push_back(model::Metric{"database", caps.database, "replicas_counted",
                                         static_cast<double>(replicas.counted.size())});
  for (const auto& r : replicas.counted) {
    result.metrics.push_back(model::Metric{"replica", r.name, "stats_since",
                                           static_cast<double>(r.stats_since.value_or(0))});
  }
}

// What the query logs contributed, stored with the snapshot as metrics of the database: the
// statements and executions of this database, and the period (first and last timestamp, in
// seconds since the epoch as the log wrote them, and its days). Only with query logs, so
// histories without them do not change.
void
add_query_log_metrics(const AuditOptions& options, const model::Capabilities& caps, model::AuditResult& result)
{
  if (!options.query_log) {
    return;
  }
  const auto& log = *options.query_log;
  const auto statements = log.statements_of(caps.database);
  double executions = 0;
  for (const auto* s : statements) {
    executions += static_cast<double>(s->calls);
  }
  auto add = [&](const char* metric, double value) {
    result.metrics.push_back(model::Metric{"database", caps.database, metric, value});
  };
  add("query_log_statements", static_cast<double>(statements.size()));
  add("query_log_executions", executions);
  add("query_log_period_days", log.period_days());
  if (log.first_epoch && log.last_epoch) {
    add("query_log_from", *log.first_epoch);
    add("query_log_to", *log.last_epoch);
  }
}

// The input logged_seq_scans, from the query logs: the relations of the audited database that
// auto_explain's logged plans scan sequentially.
std::string
logged_seq_scans_json(const querylog::QueryLog& log, const std::string& database)
{
  auto rows = nlohmann::json::array();
  for (const auto& [name, plans] : log.seq_scanned(database)) {
    rows.push_back({{"schema_name", name.first.empty() ? nlohmann::json(nullptr) : nlohmann::json(name.first)},
                    {"table_name", name.second},
                    {"plans", plans}});
  }
  return rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::shared_ptr<const querylog::QueryLog>
read_query_logs(const std::vector<std::string>& patterns, const std::optional<std::string>& log_line_prefix,
                util::ExitCode code)
{
  const auto start = std::chrono::steady_clock::now();
  try {
    auto log = std::make_shared<querylog::QueryLog>(querylog::read_query_logs(querylog::ReadOptions{patterns, log_line_prefix}));
    util::log(util::LogLevel::info,
              "query logs: {} line(s) ({} not parsed), {} statement(s) run {} time(s) ({} did not parse), in {:.0f} ms",
              log->lines, log->unparsed_lines, log->statements.size(), log->executions, log->unparsed_executions,
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    return log;
  } catch (const util::Error& e) {
    throw util::Fatal(code, e.what());
  }
}

model::AuditResult
run_audit(const Registry& registry, const Config& config, const AuditOptions& options)
{
  const auto start = std::chrono::steady_clock::now();
  model::AuditResult result;
  result.taken_at = options.taken_at;

  auto main_session = std::make_unique<pg::Session>(options.conninfo, options.session);
  result.target = main_session->target();
  result.capabilities = main_session->probe();
  const auto& caps = result.capabilities;
  PreviousLoader previous(options, result.target);

  const auto runnable = runnable_checks(registry, config, options, caps, result.skipped);
  const int jobs = std::clamp(options.jobs, 1, std::max<int>(1, static_cast<int>(runnable.size())));
  auto sessions = open_sessions(std::move(main_session), options, jobs);
  // Sequence values are read on a connection of their own, a transaction per page: holding a
  // lock on each of 24,000 sequences until the audit ends filled the server's lock table (out of
  // shared memory on default settings, for the audit and for the application alike).
  SharedInputs inputs(registry, caps.major(),
                      [&options] { return std::make_unique<pg::Session>(options.conninfo, options.session); });
  const auto replicas = replica_usage(registry, runnable, options, caps);
  inputs.provide(std::string(k_replica_usage_input), replicas.json);
  if (!caps.extensions.count("pg_stat_statements")) {
    // The statement-driven checks run on the query logs alone (needs: pg_stat_statements|query_log).
    inputs.provide("recorded_statements", "[]");
  }
  if (options.query_log) {
    inputs.provide("logged_seq_scans", logged_seq_scans_json(*options.query_log, caps.database));
  }
  // The schema's catalog for the history: read first on the last session while the others run
  // the costliest checks, or after the checks on the only one.
  std::shared_ptr<const model::AuditCatalog> catalog;
  std::vector<model::CheckTiming> catalog_timing;
  const auto read_the_catalog = [&](pg::Session& session) {
    catalog = read_catalog(registry, caps.major(), session, catalog_timing);
  };
  ParkedFindings parked;
  const ChecksRun run{caps, config, options, previous, inputs, replicas, result.findings.spill(), parked};
  auto outcomes = run_checks(runnable, sessions, run, start,
                             options.read_catalog ? read_the_catalog : std::function<void(pg::Session&)>());
  if (options.read_catalog && sessions.size() == 1) {
    read_the_catalog(*sessions.front());
  }
  previous.release(); // a history that failed to load fails the audit, as before
  const auto own_reads = audit_reads(registry, caps.major(), sessions);
  // The checks' threads freed their query results and working copies in their own malloc arenas;
  // give those pages back before the outcomes are gathered into one list (the audit's peak was
  // there, 194 MB on the 1,000-schema benchmark before this and the parked findings).
  malloc_trim(0);
  collect_outcomes(outcomes, parked, config, options, result);
  result.metrics.append(own_reads);
  if (!result.findings.empty()) {
    assign_groups(result.findings, registry, read_partition_roots(inputs, *sessions.front()));
  }
  add_replica_status(replicas, caps, result);
  add_query_log_metrics(options, caps, result);
  result.query_ms += replicas.milliseconds;
  result.input_timings = inputs.timings();
  result.input_timings.insert(result.input_timings.end(), catalog_timing.begin(), catalog_timing.end());
  result.catalog = std::move(catalog);
  for (const auto& t : result.input_timings) {
    result.query_ms += t.milliseconds;
  }
  // What gathering the outcomes, merging and sorting them freed: given back before the caller's
  // output and save (every audit of a fleet too).
  malloc_trim(0);
  result.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

FleetPlan
plan_fleet(int jobs, std::size_t target_count)
{
  FleetPlan plan;
  const int targets = static_cast<int>(std::min<std::size_t>(target_count, 1024));
  plan.parallel_targets = std::clamp(targets, 1, std::max(1, jobs));
  plan.jobs_per_target = std::max(1, jobs / plan.parallel_targets);
  return plan;
}

std::vector<FleetOutcome>
run_fleet(const Registry& registry,
          const Config& config,
          const AuditOptions& options,
          const std::vector<TargetConfig>& targets,
          const std::function<std::optional<model::PreviousSnapshot>(const std::string& name)>& load_previous,
          const std::function<void(FleetOutcome&)>& on_done)
{
  const auto plan = plan_fleet(options.jobs, targets.size());
  std::vector<FleetOutcome> outcomes(targets.size());
  std::atomic<std::size_t> next{0};
  std::mutex done_mutex;
  std::exception_ptr stop;

  auto audit_one = [&](std::size_t i) {
    const auto& target = targets[i];
    auto& outcome = outcomes[i];
    outcome.name = target.name;
    AuditOptions one = options;
    one.conninfo = target.db;
    one.replicas = target.replicas;
    one.jobs = plan.jobs_per_target;
    one.progress = nullptr;
    one.load_previous = nullptr;
    if (load_previous) {
      one.load_previous = [&](const model::Target&) {
        // Serialised with on_done: the history is one connection.
        std::lock_guard lock(done_mutex);
        return load_previous(target.name);
      };
    }
    try {
      if (!target.query_logs.empty()) {
        one.query_log = read_query_logs(target.query_logs, target.log_line_prefix, util::ExitCode::config);
      }
      outcome.result = run_audit(registry, config, one);
    } catch (const util::Fatal& e) {
      outcome.error = e.what();
      outcome.code = e.code();
    } catch (const util::Error& e) {
      outcome.error = e.what();
      outcome.code = util::ExitCode::connection;
    }
    std::lock_guard lock(done_mutex);
    if (!stop && on_done) {
      try {
        on_done(outcome);
      } catch (...) {
        stop = std::current_exception();
      }
    }
  };
  auto worker = [&]() {
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      {
        std::lock_guard lock(done_mutex);
        if (stop) {
          return;
        }
      }
      try {
        audit_one(i);
      } catch (...) {
        std::lock_guard lock(done_mutex);
        if (!stop) {
          stop = std::current_exception();
        }
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < plan.parallel_targets; ++t) {
    threads.emplace_back(worker);
  }
  worker();
  for (auto& t : threads) {
    t.join();
  }
  if (stop) {
    std::rethrow_exception(stop);
  }
  return outcomes;
}

} // namespace audit
