#include "support/previous_snapshot.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("metrics_tables: rows and activity counters of every user table, sizes of the largest", "[checks][versioned][metrics_tables]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // Autovacuum off: a vacuum between the audit and the test's own pg_table_size adds the free space
  // and visibility map forks, and the two sizes differ.
  db.plant(schema, "create table $s.orders(id int primary key, total int) with (autovacuum_enabled = off);");
  db.exec_with_stats(with_schema(schema, R"(
    insert into $s.orders select g, g from generate_series(1, 300) g;
    update $s.orders set total = 0 where id <= 20;
    delete from $s.orders where id <= 5;
    select count(*) from $s.orders;
  )"));

  const auto result = db.audit({"metrics_tables"});
  const auto object = ident(schema) + ".orders";
  CHECK(metric_value(result, "table", object, "n_tup_ins") == 300.0);
  CHECK(metric_value(result, "table", object, "n_tup_upd") == 20.0);
  CHECK(metric_value(result, "table", object, "n_tup_del") == 5.0);
  CHECK(metric_value(result, "table", object, "n_live_tup") == 295.0);
  CHECK(metric_value(result, "table", object, "seq_scan") >= 1.0);
  CHECK(metric_value(result, "table", object, "idx_scan") >= 2.0); // the update and the delete by id
  CHECK(metric_value(result, "table", object, "n_dead_tup"));
  const auto size = db.scalar(with_schema(schema, "select pg_table_size('$s.orders')"));
  CHECK(metric_value(result, "table", object, "size_bytes") == std::stod(*size));
  // Control: catalogs are not user tables.
  CHECK_FALSE(metric_value(result, "table", "pg_catalog.pg_class", "size_bytes"));
}

TEST_CASE("metrics_tables: only the largest tables are sized", "[checks][versioned][metrics_tables]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // Autovacuum off, as above: 5,000 inserted rows start an autovacuum from PostgreSQL 13 on.
  db.plant(schema, R"(
    create table $s.big(id int primary key, body text) with (autovacuum_enabled = off);
    insert into $s.big select g, repeat('x', 200) from generate_series(1, 5000) g;
    create table $s.small(id int primary key);
    insert into $s.small values (1);
    analyze $s.big; analyze $s.small;
  )");

  auto config = audit::default_config();
  config.checks["metrics_tables"].params["sized_tables"] = "1";
  const auto result = db.audit({"metrics_tables"}, config);
  const auto size = db.scalar(with_schema(schema, "select pg_table_size('$s.big')"));
  CHECK(metric_value(result, "table", ident(schema) + ".big", "size_bytes") == std::stod(*size));
  // Control: the smaller table keeps its counters but is not sized.
  CHECK_FALSE(metric_value(result, "table", ident(schema) + ".small", "size_bytes"));
  CHECK(metric_value(result, "table", ident(schema) + ".small", "n_tup_ins") == 1.0);
}
