#include "support/previous_snapshot.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("metrics_tables: size, rows and activity counters of every user table", "[checks][metrics_tables]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, "create table $s.orders(id int primary key, total int);");
  db.exec_with_stats(with_schema(schema, R"(
    insert into $s.orders select g, g from generate_series(1, 300) g;
    update $s.orders set total = 0 where id <= 20;
    delete from $s.orders where id <= 5;
    select count(*) from $s.orders;
  )"));

  const auto result = db.audit({"metrics_tables"});
  const auto object = schema + ".orders";
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
