// unused_table: compares each table's activity counters of queries/unused_table.sql with the
// previous snapshot's "table" metrics and reports the tables none of them grew on.
#include "audit/finding_rows.hpp"
#include "audit/checks/logged_statements.hpp"
#include "audit/checks/usage_history.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <array>

namespace audit::checks {

namespace {

// The counters that move when a table is read or written, as metrics_tables names them.
constexpr std::array<std::string_view, 5> k_activity = {"seq_scan", "idx_scan", "n_tup_ins", "n_tup_upd", "n_tup_del"};

// The second signal of the query logs: how many logged statements name the table (qualified, or
// unqualified by its name alone: the search_path of the logged sessions is not known), or
// nullopt without query logs.
std::optional<std::size_t>
logged_references(const std::map<TableName, std::size_t>& tables, const LoggedStatements& logged,
                  const std::string& schema, const std::string& table)
{
  if (!logged.given) {
    return std::nullopt;
  }
  std::size_t n = 0;
  for (const auto& key : {TableName{schema, table}, TableName{"", table}}) {
    if (const auto it = tables.find(key); it != tables.end()) {
      n += it->second;
    }
  }
  if (n == 0 && logged.unparsed_words.count(util::to_lower(table))) {
    n = 1; // a statement that did not parse may name it
  }
  return n;
}

// What the query logs say, worked out on the first page of the check's rows and carried to the
// others: up to 100,000 logged statements, parsed once for the check, not once a page.
struct QueryLogSignal
{
  LoggedStatements logged;
  std::optional<std::map<TableName, std::size_t>> names; // parsed at the first finding
};

} // namespace

void
map_unused_table(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  if (!ctx.previous) {
    return; // needs: history; the runner skips the check first
  }
  const ResultColumns cols(result, ctx.def);
  const auto stats = stats_window(ctx);
  const auto since_previous = days_since_previous(ctx);
  // A database where nothing at all was written since the previous audit (idle, a restored copy)
  // says little about any one table.
  const auto written = tuples_written_since_previous(ctx);
  auto& signal = carried<QueryLogSignal>(ctx, [&] { return QueryLogSignal{logged_statements(ctx), std::nullopt}; });
  const auto& logged = signal.logged;
  auto& logged_names = signal.names;
  for (const auto& row : result.rows) {
    if (!row_included(result, row, ctx.config)) {
      continue;
    }
    const auto object = cols.text(row, "object");
    nlohmann::json counters = nlohmann::json::object();
    bool known = true;
    bool went_down = false;
    std::int64_t growth = 0;
    std::int64_t total = 0;
    for (const auto name : k_activity) {
      const auto now = cols.integer(row, name);
      const auto counter = counter_growth(ctx, "table", object, name, now);
      if (!counter) {
        known = false; // new since the previous snapshot
        break;
      }
      went_down = went_down || counter->went_down;
      growth += counter->growth;
      total += now;
      counters[std::string(name)] = now;
    }
    const bool reset = stats.reset_since_previous || went_down;
    if (!known || (reset ? total : growth) != 0) {
      continue;
    }

    // After a reset the window starts at the reset; a counter that went down on its own gives
    // no date at all.
    std::optional<double> window;
    std::string what = "since its counters were reset after the previous audit";
    if (!reset) {
      window = since_previous;
      what = fmt::format("in the {} day(s) since the previous audit ({})", whole_days(since_previous),
                         iso_date(ctx.previous->taken_at));
    } else if (stats.reset_since_previous) {
      window = stats.age_days;
      what = fmt::format("since statistics were reset {} day(s) ago", whole_days(stats.age_days));
    }
    const auto min_window = cols.integer(row, "min_window_days");
    auto f = finding_from_row(result, row, ctx);
    std::string hint = "rename it to deprecated_<name> so a forgotten user fails loudly, then drop it after "
                       "the grace period";
    auto confidence = server_confidence(ctx);
    if (!window || *window < static_cast<double>(min_window)) {
      hint = fmt::format("too short a window to be sure (min_window_days is {}); audit again later", min_window);
      confidence.cap(Confidence::Level::low, hint);
    } else if (written == 0) {
      hint = "nothing at all was written in this database since the previous audit, so a table nobody touched "
             "proves little (an idle database, or a restored copy); audit again when it has traffic";
      confidence.cap(Confidence::Level::low, hint);
    } else if (confidence.level() == Confidence::Level::low) {
      hint = fmt::format("{}; audit again once every replica can be read", confidence.low_reasons());
    }
    std::optional<std::size_t> in_logs;
    if (logged.given) {
      if (!logged_names) {
        logged_names = logged_tables(logged);
      }
      in_logs = logged_references(*logged_names, logged, cols.text(row, "schema_name"), cols.text(row, "table_name"));
      if (*in_logs > 0) {
        const auto why = fmt::format("{} statement(s) of the query logs name it ({} to {}): find who runs them "
                                     "before retiring it",
                                     *in_logs, logged.evidence.value("period_from", "?"),
                                     logged.evidence.value("period_to", "?"));
        hint = confidence.level() == Confidence::Level::low ? fmt::format("{}; {}", hint, why) : why;
        confidence.cap(Confidence::Level::low, why);
      } else {
        hint += fmt::format("; no statement of the query logs names it either ({})", logged.describe());
      }
    }
    if (confidence.level() == Confidence::Level::low) {
      set_severity(f, model::Severity::info, ctx);
    }
    const auto size = cols.integer(row, "size_bytes");
    const auto scans = ctx.replicas.counted.empty()
                         ? std::string("scans")
                         : fmt::format("scans summed over this server and {} replica(s)", ctx.replicas.counted.size());
    // 16+: the date of this server's last read, when statistics saw one.
    const auto last_read_text = cols.optional_text(row, "last_read");
    const auto last_read = last_read_text ? util::parse_iso(*last_read_text) : std::nullopt;
    const auto last_read_note = last_read ? fmt::format("; last read on {}", iso_date(*last_read)) : std::string();
    f.message = fmt::format("{} {} had no reads or writes {} ({}, inserts, updates and deletes unchanged; "
                            "{}{}); {}",
                            f.object_type, f.object, what, scans, util::human_bytes(static_cast<double>(size)),
                            last_read_note, hint);
    counters["size_bytes"] = size;
    counters["last_read"] = last_read ? nlohmann::json(iso_date(*last_read)) : nlohmann::json(nullptr);
    counters["window_days"] = window ? nlohmann::json(whole_days(*window)) : nlohmann::json(nullptr);
    counters["previous_audit"] = iso_date(ctx.previous->taken_at);
    counters["stats_reset_detected"] = reset;
    counters["database_tuples_written"] = written ? nlohmann::json(*written) : nlohmann::json(nullptr);
    if (in_logs) {
      counters["query_log"] = logged.evidence;
      counters["query_log"]["statements_naming_it"] = *in_logs;
    }
    f.evidence = std::move(counters);
    confidence.rests_on(counters_source(ctx, "reads and writes (pg_stat_user_tables)", window));
    if (logged.given) {
      confidence.rests_on("query logs: " + logged.describe());
    }
    confidence.apply_to(f);
    if (confidence.level() == Confidence::Level::low) {
      // Not enough evidence yet: no rename to paste.
      f.remediation = util::sql_comment(fmt::format("not enough evidence yet: {}; no rename is proposed until an "
                                                    "audit can judge its usage",
                                                    hint));
      f.undo.clear();
      out.push_back(std::move(f));
      continue;
    }
    f.remediation = fmt::format("-- no reads or writes since {}: rename first, so a forgotten user fails loudly "
                                "while the data stays\n{}\n-- after the grace period ({} days; deprecated_object "
                                "tracks it), drop it:\n{}",
                                reset ? std::string("the statistics reset") : iso_date(ctx.previous->taken_at),
                                cols.text(row, "rename_sql"), ctx.config.deprecation_grace_days,
                                util::sql_comment(cols.text(row, "drop_sql")));
    out.push_back(std::move(f));
  }
}

} // namespace audit::checks
