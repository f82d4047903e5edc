// missing_index: the rows as any plain check maps them, then the confidence of the verdict from
// the statistics window the scan counters cover.
#include "audit/checks/usage_history.hpp"

#include <fmt/format.h>

namespace audit::checks {

void
map_missing_index(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out)
{
  const auto first = out.size();
  map_rows_generic(result, ctx, out);
  // Scans served by standbys are not counted, but they could only add to the evidence: the
  // server's standbys do not lower this verdict. A short window can: the scans may be one batch.
  Confidence confidence;
  const auto stats = stats_window(ctx);
  if (stats.age_days < ctx.config.stats_min_age_days) {
    confidence.cap(Confidence::Level::medium,
                   fmt::format("the scan counters cover only {:.0f} day(s), fewer than stats_min_age_days ({}): "
                               "the scans may be a one-off job",
                               stats.age_days, ctx.config.stats_min_age_days));
  }
  confidence.rests_on(counters_source(ctx, "sequential and index scans (pg_stat_user_tables)",
                                      stats.since ? std::optional(stats.age_days) : std::nullopt));
  for (auto i = first; i < out.size(); ++i) {
    confidence.apply_to(out[i]);
  }
}

} // namespace audit::checks
