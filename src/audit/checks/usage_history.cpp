#include "audit/checks/usage_history.hpp"

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

} // namespace

StatsWindow
stats_window(const CheckContext& ctx)
{
  StatsWindow window;
  const auto& caps = ctx.capabilities;
  window.since = parse_optional(caps.stats_reset);
  if (!window.since) {
    window.since = parse_optional(caps.postmaster_start);
  }
  if (window.since) {
    window.age_days = std::max(0.0, static_cast<double>(ctx.options.taken_at - *window.since) / k_seconds_per_day);
  }
  if (ctx.previous) {
    const auto before = parse_optional(ctx.previous->stats_reset);
    const auto now = parse_optional(caps.stats_reset);
    window.reset_since_previous = before && now ? *before != *now : ctx.previous->stats_reset != caps.stats_reset;
  }
  return window;
}

std::optional<double>
previous_metric(const CheckContext& ctx, std::string_view object_type, std::string_view object, std::string_view metric)
{
  if (!ctx.previous) {
    return std::nullopt;
  }
  const auto it = ctx.previous->metrics.find(model::metric_key(object_type, object, metric));
  if (it == ctx.previous->metrics.end()) {
    return std::nullopt;
  }
  return it->second;
}

void
Confidence::cap(Level at_most, std::string why)
{
  m_level = std::min(m_level, at_most);
  m_basis.push_back(std::move(why));
}

void
Confidence::apply_to(model::Finding& finding) const
{
  static constexpr util::EnumNames<Level, 3> names({"low", "medium", "high"});
  finding.confidence = names.name(m_level);
  finding.evidence["confidence_basis"] = m_basis;
}

Confidence
server_confidence(const CheckContext& ctx)
{
  Confidence c;
  const auto& caps = ctx.capabilities;
  if (caps.in_recovery) {
    c.cap(Confidence::Level::medium, "this server is a standby: usage on the primary and on other standbys is not "
                                     "counted here");
  } else if (caps.standbys > 0) {
    c.cap(Confidence::Level::medium,
          fmt::format("{} standby(s) stream from this server: queries they serve are not counted here; audit them "
                      "too or confirm nothing reads there",
                      caps.standbys));
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
sql_literal(std::string_view text)
{
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
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
