#include "report/measure_change.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;

TEST_CASE("measure_worsened: a measured value that grew past its noise makes a finding worse", "[unit][report]")
{
  // A sequence from 92% to 94% of its type's range: worse, though its severity stays.
  const auto sequence = report::measure_worsened(json{{"usage_pct", 92.0}}, json{{"usage_pct", 94.0}});
  REQUIRE(sequence);
  CHECK(sequence->key == "usage_pct");
  CHECK(sequence->before == "92.0%");
  CHECK(sequence->after == "94.0%");
  // Within a point: noise; shrinking: not worse.
  CHECK_FALSE(report::measure_worsened(json{{"usage_pct", 92.0}}, json{{"usage_pct", 92.6}}));
  CHECK_FALSE(report::measure_worsened(json{{"usage_pct", 94.0}}, json{{"usage_pct", 92.0}}));
  // Sizes: at least 10% and 1 MiB more.
  CHECK(report::measure_worsened(json{{"bloat_bytes", 1e9}}, json{{"bloat_bytes", 1.2e9}}));
  CHECK_FALSE(report::measure_worsened(json{{"bloat_bytes", 1e9}}, json{{"bloat_bytes", 1.05e9}}));
  CHECK_FALSE(report::measure_worsened(json{{"size_bytes", 8192}}, json{{"size_bytes", 16384}}));
  // Dead rows: 10% and 1,000 rows.
  CHECK(report::measure_worsened(json{{"n_dead_tup", 10000}}, json{{"n_dead_tup", 12000}}));
  CHECK_FALSE(report::measure_worsened(json{{"n_dead_tup", 100}}, json{{"n_dead_tup", 900}}));
  // Stamps and ages are not measures; a key missing on either side is no change.
  CHECK_FALSE(report::measure_worsened(json{{"age_days", 10}, {"last_analyzed", "2026-01-01"}},
                                       json{{"age_days", 100}, {"last_analyzed", "2026-06-01"}}));
  CHECK_FALSE(report::measure_worsened(json::object(), json{{"usage_pct", 94.0}}));
  CHECK_FALSE(report::measure_worsened(json(nullptr), json{{"usage_pct", 94.0}}));
}
