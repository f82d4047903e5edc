#include "integration/report_histories.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

// Hidden (not run by ctest): scripts/bench-report.sh runs it to build the benchmark history
// with the real store code.
TEST_CASE("report bench: write a history of many large snapshots", "[.bench]")
{
  const char* path = std::getenv("SCHEMA_AUDIT_BENCH_HISTORY");
  const char* snapshots = std::getenv("SCHEMA_AUDIT_BENCH_SNAPSHOTS");
  const char* findings = std::getenv("SCHEMA_AUDIT_BENCH_FINDINGS");
  REQUIRE(path);
  test::write_report_history(path, snapshots ? std::atoi(snapshots) : 40, findings ? std::atoi(findings) : 10000);
}
