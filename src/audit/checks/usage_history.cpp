#include "audit/checks/usage_history.hpp"

#include "audit/counters_since.hpp"

#include "util/enum_names.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace audit::checks {

namespace {

std::optional<std::int64_t>
parse_optional(const std::optional<std::string>& text)
{
  return text ? util::parse_iso(*text) : std::nullopt;
}

// Whether the previous snapshot summed its counters over the same replicas, with the same
// counter starts, as this audit (runner.cpp stores "database replicas_counted" and each
// replica's "stats_since"; neither without replicas). Otherwise a sum can go up or down with no
// scan at all, and only the lifetime sums can be judged.
bool
same_replicas_as_previous(const CheckContext& ctx)
{
  const auto& counted = ctx.replicas.counted;
  const auto before = previous_metric(ctx, "database", ctx.capabilities.database, "replicas_counted").value_or(0);
  if (static_cast<std::size_t>(before) != counted.size()) {
    return false;
  }
  return std::all_of(counted.begin(), counted.end(), [&](const CountedReplica& r) {
    const auto since = previous_metric(ctx, "replica", r.name, "stats_since");
    return since && static_cast<std::int64_t>(*since) == r.stats_since.value_or(0);
  });
}

} // namespace

double
days_since_previous(const CheckContext& ctx)
{
  return static_cast<double>(ctx.options.taken_at - ctx.previous->taken_at) / k_seconds_per_day;
}

StatsWindow
stats_window(const CheckContext& ctx)
{
  StatsWindow window;
  const auto& caps = ctx.capabilities;
  window.since = counters_since(caps);
  for (const auto& r : ctx.replicas.counted) {
    if (window.since && r.stats_since) {
      window.since = std::max(*window.since, *r.stats_since);
    }
  }
  if (window.since) {
    window.age_days = std::max(0.0, static_cast<double>(ctx.options.taken_at - *window.since) / k_seconds_per_day);
  }
  if (ctx.previous) {
    const auto before = parse_optional(ctx.previous->stats_reset);
    const auto now = parse_optional(caps.stats_reset);
    window.reset_since_previous = before && now ? *before != *now : ctx.previous->stats_reset != caps.stats_reset;
    window.reset_since_previous = window.reset_since_previous || !same_replicas_as_previous(ctx);
  }
  return window;
}

std::optional<double>
previous_metric(const CheckContext& ctx, std::string_view object_type, std::string_view object, std::string_view metric)
{
  if (!ctx.previous) {
    return std::nullopt;
  }
  return ctx.previous->metrics.find(object_type, object, metric);
}

std::int64_t
previous_audit_reads(const CheckContext& ctx, std::string_view object_type, std::string_view object, std::string_view metric)
{
  return static_cast<std::int64_t>(previous_metric(ctx, object_type, object, "audit_" + std::string(metric)).value_or(0));
}

std::optional<CounterGrowth>
counter_growth(const CheckContext& ctx,
               std::string_view object_type,
               std::string_view object,
               std::string_view metric,
               std::int64_t now)
{
  const auto before = previous_metric(ctx, object_type, object, metric);
  if (!before) {
    return std::nullopt;
  }
  const auto previous = static_cast<std::int64_t>(*before);
  if (now < previous) {
    return CounterGrowth{.went_down = true};
  }
  // The previous audit's reads may not be counted yet when audits follow each other within a
  // second (its session's statistics are sent as it ends): the growth is then 0, not negative.
  const auto own = previous_audit_reads(ctx, object_type, object, metric);
  return CounterGrowth{.growth = std::max<std::int64_t>(0, now - previous - own)};
}

void
Confidence::cap(Level at_most, std::string why)
{
  m_level = std::min(m_level, at_most);
  if (at_most == Level::low) {
    m_low_basis.push_back(why);
  }
  m_basis.push_back(std::move(why));
}

std::string
Confidence::low_reasons() const
{
  return m_level == Level::low ? fmt::format("{}", fmt::join(m_low_basis, "; ")) : std::string();
}

void
Confidence::apply_to(model::Finding& finding) const
{
  static constexpr util::EnumNames<Level, 3> names({"low", "medium", "high"});
  finding.confidence = names.name(m_level);
  finding.evidence["confidence_basis"] = m_basis;
  if (m_replicas) {
    finding.evidence["replicas_counted"] = *m_replicas;
  }
  set_rests_on(finding, m_sources);
}

void
set_rests_on(model::Finding& finding, const std::vector<std::string>& sources)
{
  if (!sources.empty()) {
    finding.evidence["rests_on"] = sources;
  }
}

std::string
counters_source(const CheckContext& ctx, std::string_view counters, std::optional<double> window_days)
{
  const auto replicas = ctx.replicas.counted.size();
  // without a window of its own (no previous snapshot), the counters' lifetime: since the
  // statistics began, when that is known (Formbricks, Kong: "over an unknown period" beside the
  // evidence's stats_since)
  const auto stats = stats_window(ctx);
  return fmt::format("{} {}{}", counters,
                     window_days  ? fmt::format("over {} day(s)", static_cast<std::int64_t>(*window_days + 0.5))
                     : stats.since ? fmt::format("since the statistics began ({}, {} day(s) ago)", iso_date(*stats.since),
                                                 whole_days(stats.age_days))
                                  : std::string("over an unknown period"),
                     replicas ? fmt::format(", summed over this server and {} replica(s)", replicas) : std::string());
}

Confidence
server_confidence(const CheckContext& ctx)
{
  Confidence c;
  const auto& caps = ctx.capabilities;
  const auto& replicas = ctx.replicas;
  // pg_stat_replication lists the standbys streaming from this server, not which ones: every
  // one is taken as counted when at least as many standbys were counted.
  const auto standbys_counted = std::count_if(replicas.counted.begin(), replicas.counted.end(),
                                              [](const CountedReplica& r) { return r.standby; });
  if (caps.in_recovery) {
    c.cap(Confidence::Level::medium, "this server is a standby: usage on the primary and on other standbys is not "
                                     "counted here");
  } else if (caps.standbys > standbys_counted) {
    c.cap(Confidence::Level::medium,
          standbys_counted == 0
            ? fmt::format("{} standby(s) stream from this server: queries they serve are not counted here; audit them "
                          "too or confirm nothing reads there",
                          caps.standbys)
            : fmt::format("{} standby(s) stream from this server and {} were counted (--replica): queries the others "
                          "serve are not counted here; give each one with --replica",
                          caps.standbys, standbys_counted));
  }
  for (const auto& m : replicas.missed) {
    c.cap(Confidence::Level::low, fmt::format("replica {} unreachable: {}", m.name, m.reason));
  }
  if (replicas.configured) {
    std::vector<std::string> names;
    for (const auto& r : replicas.counted) {
      names.push_back(r.name);
    }
    c.count_replicas(std::move(names));
  }
  return c;
}

std::optional<std::int64_t>
tuples_written_since_previous(const CheckContext& ctx)
{
  const auto& caps = ctx.capabilities;
  const auto before = previous_metric(ctx, "database", caps.database, "tuples_written");
  if (!before || !caps.tuples_written || ctx.capabilities.stats_reset != ctx.previous->stats_reset
      || *caps.tuples_written < static_cast<std::int64_t>(*before)) {
    return std::nullopt;
  }
  return *caps.tuples_written - static_cast<std::int64_t>(*before);
}

std::size_t
ResultColumns::index(std::string_view name) const
{
  const auto i = m_result.column(name);
  if (!i) {
    throw util::Error(fmt::format("query of {} returns no \"{}\" column", m_def.source, name));
  }
  return *i;
}

std::string
ResultColumns::text(const pg::Row& row, std::string_view name) const
{
  return row[index(name)].value_or("");
}

std::optional<std::string>
ResultColumns::optional_text(const pg::Row& row, std::string_view name) const
{
  return row[index(name)];
}

std::int64_t
ResultColumns::integer(const pg::Row& row, std::string_view name) const
{
  const auto& value = row[index(name)];
  return value ? std::stoll(*value) : 0;
}

void
set_severity(model::Finding& finding, model::Severity severity, const CheckContext& ctx)
{
  const auto it = ctx.config.checks.find(ctx.def.id);
  if (it == ctx.config.checks.end() || !it->second.severity) {
    finding.severity = severity;
  }
}

std::string
iso_date(std::int64_t epoch)
{
  return util::format_iso(epoch).substr(0, 10);
}

std::int64_t
whole_days(double days)
{
  return static_cast<std::int64_t>(std::floor(days));
}

} // namespace audit::checks
