// xid_wraparound: maps the rows of queries/xid_wraparound.sql and, with a previous audit in the
// history, adds the transaction IDs consumed per day since then (metric "database next_xid") and
// the date each finding's age reaches the server's stop limit at that rate, raising the severity
// when that date comes before the next audits.
#include "audit/finding_rows.hpp"
#include "audit/checks/usage_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace audit::checks {

namespace {

// The age at which the server stops assigning transaction IDs: 3 million short of 2^31.
constexpr std::int64_t k_stop_age = 2147483648LL - 3000000LL;

// How fast transaction IDs were consumed between the previous audit and this one.
struct XidRate
{
  double per_day = 0;
  std::int64_t since = 0; // the previous audit's time
};

std::optional<XidRate>
xid_rate(const CheckContext& ctx, std::int64_t next_xid)
{
  const auto before = previous_metric(ctx, "database", ctx.capabilities.database, "next_xid");
  if (!before || !ctx.previous) {
    return std::nullopt;
  }
  const auto days = days_since_previous(ctx);
  const auto consumed = static_cast<double>(next_xid) - *before;
  // A counter that went back belongs to another cluster (a restored dump): no rate.
  if (days <= 0 || consumed <= 0) {
    return std::nullopt;
  }
  return XidRate{consumed / days, ctx.previous->taken_at};
}

} // namespace

void
map_xid_wraparound(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  const ResultColumns cols(result, ctx.def);
  std::optional<XidRate> rate;
  if (!result.rows.empty()) {
    rate = xid_rate(ctx, cols.integer(result.rows.front(), "next_xid"));
  }
  for (const auto& row : result.rows) {
    if (!row_included(result, row, ctx.config)) {
      continue;
    }
    auto f = finding_from_row(result, row, ctx);
    if (rate) {
      const auto age = f.evidence.value("xid_age", std::int64_t{0});
      const auto days_left = std::max(0.0, static_cast<double>(k_stop_age - age) / rate->per_day);
      const auto stop_on = ctx.options.taken_at + static_cast<std::int64_t>(days_left * k_seconds_per_day);
      f.evidence["xids_per_day"] = std::llround(rate->per_day);
      f.evidence["rate_since"] = iso_date(rate->since);
      f.evidence["days_to_stop_limit"] = whole_days(days_left);
      f.evidence["projected_stop_date"] = iso_date(stop_on);
      f.message += fmt::format("; {} transaction IDs a day since the audit of {}: if nothing freezes it, its age "
                               "reaches the stop limit (2^31 minus 3 million) around {}, in {} day(s)",
                               std::llround(rate->per_day), iso_date(rate->since), iso_date(stop_on),
                               whole_days(days_left));
      if (days_left < static_cast<double>(cols.integer(row, "projection_critical_days"))) {
        set_severity(f, model::Severity::critical, ctx);
      } else if (days_left < static_cast<double>(cols.integer(row, "projection_high_days"))) {
        set_severity(f, std::max(f.severity, model::Severity::high), ctx);
      }
    }
    out.push_back(std::move(f));
  }
}

} // namespace audit::checks
