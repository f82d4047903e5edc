#include "support/previous_snapshot.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("metrics_database: the size of the audited database and the rows written in it", "[checks][metrics_database]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  const auto before = std::stod(*db.scalar("select pg_database_size(current_database())"));
  db.plant(schema, "create table $s.blobs(id int, body text)");
  db.exec_with_stats(
    with_schema(schema, "insert into $s.blobs select g, repeat('x', 1000) from generate_series(1, 2000) g"));
  const auto result = db.audit({"metrics_database"});
  const auto size = metric_value(result, "database", db.name(), "size_bytes");
  REQUIRE(size);
  CHECK(*size > before + 1000000); // grew by the planted table
  // Rows written so far, for the next audit's usage checks (pg_stat_database).
  const auto written = metric_value(result, "database", db.name(), "tuples_written");
  REQUIRE(written);
  CHECK(*written >= 2000);
  // The server's next transaction ID, for xid_wraparound's projection (tests running alongside
  // on the same cluster may take IDs after the audit, never before the planting's).
  const auto next_xid = metric_value(result, "database", db.name(), "next_xid");
  REQUIRE(next_xid);
  CHECK(*next_xid > std::stod(*db.scalar("select xmin::text from pg_class where relname = 'blobs'")));
  CHECK(*next_xid <= std::stod(*db.scalar("select pg_snapshot_xmax(pg_current_snapshot())::text")));
  CHECK(result.metrics.size() == 3); // one database, no other object
}
