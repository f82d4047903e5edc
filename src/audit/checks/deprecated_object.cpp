// deprecated_object: adds the age to each deprecated object of queries/deprecated_object.sql
// (first seen in the history, else now) and, once the grace period is over, raises the severity
// and gives the drop as the remediation.
#include "audit/finding_rows.hpp"
#include "audit/checks/usage_history.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace audit::checks {

void
map_deprecated_object(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  const ResultColumns cols(result, ctx.def);
  const auto now = ctx.options.taken_at;
  for (const auto& row : result.rows) {
    if (!row_included(result, row, ctx.config)) {
      continue;
    }
    auto f = finding_from_row(result, row, ctx);
    auto first_seen = now;
    if (ctx.previous) {
      if (const auto seen = ctx.previous->first_seen.find(f.fingerprint)) {
        first_seen = std::min(seen->first_seen, now);
      }
    }
    const auto grace_days = cols.integer(row, "grace_days");
    const auto age_days = whole_days(static_cast<double>(now - first_seen) / k_seconds_per_day);
    const bool ready = age_days >= grace_days;
    const auto drop_sql = cols.text(row, "drop_sql");
    const auto seen = fmt::format("first seen {} ({} day(s) ago)", iso_date(first_seen), age_days);
    if (ready) {
      set_severity(f, model::Severity::low, ctx);
      f.message += fmt::format("; {}: the grace period of {} day(s) is over, ready to drop", seen, grace_days);
      f.remediation = drop_sql;
    } else {
      const auto drop_on = first_seen + static_cast<std::int64_t>(grace_days * k_seconds_per_day);
      f.message += fmt::format("; {}: {} day(s) left of the grace period of {}, then drop it", seen,
                               grace_days - age_days, grace_days);
      f.remediation = fmt::format("-- ready to drop on {}, after the grace period; then run:\n{}", iso_date(drop_on),
                                  util::sql_comment(drop_sql));
    }
    f.evidence = nlohmann::json{
      {"pattern", cols.text(row, "pattern")},
      {"first_seen", iso_date(first_seen)},
      {"age_days", age_days},
      {"grace_days", grace_days},
      {"days_left", std::max<std::int64_t>(0, grace_days - age_days)},
      {"ready_to_drop", ready},
    };
    out.push_back(std::move(f));
  }
}

} // namespace audit::checks
