#include "support/previous_snapshot.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("metrics_indexes: scans of every user index, sizes of the largest", "[checks][metrics_indexes]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id int primary key, status int);
    insert into $s.orders select g, g % 5 from generate_series(1, 1000) g;
    create index orders_status_idx on $s.orders(status);
  )");
  db.exec_with_stats(with_schema(schema, "set enable_seqscan = off; set enable_bitmapscan = off;"
                                         "select count(*) from $s.orders where status = 1;"
                                         "select count(*) from $s.orders where status = 2;"));

  const auto result = db.audit({"metrics_indexes"});
  const auto object = ident(schema) + ".orders_status_idx";
  CHECK(metric_value(result, "index", object, "idx_scan") == 2.0);
  const auto size = db.scalar(with_schema(schema, "select pg_relation_size('$s.orders_status_idx')"));
  CHECK(metric_value(result, "index", object, "size_bytes") == std::stod(*size));
  CHECK(metric_value(result, "index", ident(schema) + ".orders_pkey", "idx_scan") == 0.0);
  // Controls: system catalogs' indexes are not user indexes.
  CHECK_FALSE(metric_value(result, "index", "pg_catalog.pg_class_oid_index", "size_bytes"));
  CHECK(result.findings.empty());
}

TEST_CASE("metrics_indexes: only the largest indexes are sized", "[checks][metrics_indexes]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id int primary key, note text);
    insert into $s.orders select g, md5(g::text) from generate_series(1, 5000) g;
    create index orders_note_idx on $s.orders(note);
  )");

  auto config = audit::default_config();
  config.checks["metrics_indexes"].params["sized_indexes"] = "1";
  const auto result = db.audit({"metrics_indexes"}, config);
  const auto size = db.scalar(with_schema(schema, "select pg_relation_size('$s.orders_note_idx')"));
  CHECK(metric_value(result, "index", ident(schema) + ".orders_note_idx", "size_bytes") == std::stod(*size));
  // Control: the smaller primary key keeps its scan counter but is not sized.
  CHECK_FALSE(metric_value(result, "index", ident(schema) + ".orders_pkey", "size_bytes"));
  CHECK(metric_value(result, "index", ident(schema) + ".orders_pkey", "idx_scan"));
}
