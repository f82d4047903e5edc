#pragma once

// Shared by the checks that judge usage or age against the previous snapshot (unused_index,
// unused_table, deprecated_object): statistics windows, previous metrics, column access.

#include "audit/finding_rows.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace audit::checks {

inline constexpr double k_seconds_per_day = 86400.0;

// How far back the server's statistics counters reach at this audit.
struct StatsWindow
{
  // Start of the counters: pg_stat_database.stats_reset, else the postmaster start; with
  // replicas counted, the latest such start of the primary and each of them (the sums cover every
  // server only from then on).
  std::optional<std::int64_t> since;
  // Days from `since` to the audit's taken_at; 0 when unknown.
  double age_days = 0;
  // stats_reset differs from the previous snapshot's: every counter restarted in between. Also
  // set when the summed counters are not comparable with the previous snapshot's: other replicas
  // were counted (one added, dropped or unreachable), or one's counters restarted.
  bool reset_since_previous = false;
};

StatsWindow stats_window(const CheckContext& ctx);

// Days from the previous snapshot to this audit's taken_at (the previous snapshot must exist).
double days_since_previous(const CheckContext& ctx);

// The previous snapshot's value of metric `metric` of `object`, if there is one.
std::optional<double> previous_metric(const CheckContext& ctx,
                                      std::string_view object_type,
                                      std::string_view object,
                                      std::string_view metric);

// The previous audit's own reads counted in `metric` (seq_scan, idx_scan) of `object`: its
// audit_<metric>, which the server counted once that audit ended (queries/inputs/audit_reads.sql);
// 0 when it recorded none.
std::int64_t previous_audit_reads(const CheckContext& ctx,
                                  std::string_view object_type,
                                  std::string_view object,
                                  std::string_view metric);

// A usage counter (seq_scan, idx_scan, ...) of `object` against the previous snapshot's value.
struct CounterGrowth
{
  // The counter is below the previous value: it restarted (a statistics reset) in between.
  bool went_down = false;
  // Since the previous snapshot, less that audit's own reads (previous_audit_reads); 0 when it
  // went down.
  std::int64_t growth = 0;
};

// `now` against the previous snapshot's `metric` of `object`; nullopt when that snapshot has no
// value for it (no previous snapshot, or the object is new since).
std::optional<CounterGrowth> counter_growth(const CheckContext& ctx,
                                            std::string_view object_type,
                                            std::string_view object,
                                            std::string_view metric,
                                            std::int64_t now);

// How far a usage verdict can be trusted (model::Finding::confidence), and the reasons that
// lowered it (evidence.confidence_basis).
class Confidence
{
public:
  enum class Level { low, medium, high };

  // Lowers the level to `at_most` (never raises it), for the reason `why`.
  void cap(Level at_most, std::string why);

  // Sets the finding's confidence and its evidence's confidence_basis.
  void apply_to(model::Finding& finding) const;

  Level level() const { return m_level; }

  // The reasons that lowered the level to low, joined with "; " (empty when it is not low).
  std::string low_reasons() const;

  // Writes evidence.replicas_counted (the replicas whose counters were summed) in apply_to.
  void count_replicas(std::vector<std::string> names) { m_replicas = std::move(names); }

  // Names a source of evidence the verdict rests on, for evidence.rests_on (set_rests_on).
  void rests_on(std::string source) { m_sources.push_back(std::move(source)); }

private:
  Level m_level = Level::high;
  std::vector<std::string> m_basis;
  std::vector<std::string> m_low_basis;
  std::optional<std::vector<std::string>> m_replicas;
  std::vector<std::string> m_sources;
};

// Sets evidence.rests_on: the sources of evidence a usage verdict rests on (usage counters and
// their window, pg_stat_statements, the query logs and their period), in words the report shows.
void set_rests_on(model::Finding& finding, const std::vector<std::string>& sources);

// A usage verdict's source `counters` (e.g. "idx_scan of pg_stat_user_indexes") over
// `window_days`: "... over N day(s)", and the replicas whose counters were summed.
std::string counters_source(const CheckContext& ctx, std::string_view counters, std::optional<double> window_days);

// The confidence every usage verdict on this server starts from: medium when usage happens on
// servers this one's counters do not see (standbys streaming from it that were not all counted
// through --replica, or it being a standby); low when a replica given could not be counted.
Confidence server_confidence(const CheckContext& ctx);

// Rows written in the whole database since the previous audit (pg_stat_database, metric
// "database tuples_written"); nullopt without a previous audit or after a statistics reset.
std::optional<std::int64_t> tuples_written_since_previous(const CheckContext& ctx);

// Columns of a check's result by name; util::Error names the check and a missing column.
class ResultColumns
{
public:
  ResultColumns(const pg::QueryResult& result, const model::CheckDef& def) : m_result(result), m_def(def) {}

  std::string text(const pg::Row& row, std::string_view name) const;
  std::optional<std::string> optional_text(const pg::Row& row, std::string_view name) const;
  // NULL reads as 0.
  std::int64_t integer(const pg::Row& row, std::string_view name) const;

private:
  std::size_t index(std::string_view name) const;

  const pg::QueryResult& m_result;
  const model::CheckDef& m_def;
};

// Sets `severity` unless the config's [checks.<id>] severity overrides it.
void set_severity(model::Finding& finding, model::Severity severity, const CheckContext& ctx);

// "2026-11-25".
std::string iso_date(std::int64_t epoch);

// Whole days, rounded down, for messages.
std::int64_t whole_days(double days);

} // namespace audit::checks
