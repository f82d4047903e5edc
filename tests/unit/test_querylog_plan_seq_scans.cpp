#include "querylog/plan_seq_scans.hpp"

#include <catch2/catch.hpp>

TEST_CASE("plan_seq_scans: auto_explain's text format, nested nodes, constants masked", "[unit][querylog]")
{
  const auto nodes = querylog::plan_seq_scans(
    "Query Text: select * from orders o join customers c on c.id = o.customer_id\n"
    "  where o.note = 'secret'\n"
    "Hash Join  (cost=1.00..2.00 rows=1 width=8) (actual time=0.100..5.500 rows=3 loops=1)\n"
    "  Hash Cond: (o.customer_id = c.id)\n"
    "  ->  Seq Scan on orders o  (cost=0.00..1.00 rows=1 width=8) (actual time=0.010..2.500 rows=3 loops=2)\n"
    "        Filter: (note = 'secret'::text)\n"
    "        Rows Removed by Filter: 19997\n"
    "  ->  Hash  (cost=1.00..1.00 rows=1 width=4) (actual time=0.010..0.010 rows=1 loops=1)\n"
    "        ->  Seq Scan on public.customers c  (cost=0.00..1.00 rows=1 width=4) (actual time=0.001..0.004 rows=1 loops=1)\n");
  REQUIRE(nodes);
  REQUIRE(nodes->size() == 2);
  CHECK((*nodes)[0].relation == "orders");
  CHECK((*nodes)[0].schema.empty());
  CHECK((*nodes)[0].filter == "(note = ?::text)");
  CHECK((*nodes)[0].rows_removed == Approx(19997));
  CHECK((*nodes)[0].loops == Approx(2));
  CHECK((*nodes)[0].total_ms == Approx(5.0));
  CHECK((*nodes)[1].schema == "public");
  CHECK((*nodes)[1].relation == "customers");
  CHECK((*nodes)[1].filter.empty());
}

TEST_CASE("plan_seq_scans: auto_explain's JSON format", "[unit][querylog]")
{
  const auto nodes = querylog::plan_seq_scans(R"json({
  "Query Text": "select id from orders where customer_id >= 990",
  "Plan": {
    "Node Type": "Aggregate",
    "Plans": [
      {"Node Type": "Seq Scan", "Relation Name": "orders", "Alias": "orders",
       "Actual Total Time": 3.25, "Actual Loops": 1, "Filter": "(customer_id >= 990)",
       "Rows Removed by Filter": 19800}
    ]
  }
})json");
  REQUIRE(nodes);
  REQUIRE(nodes->size() == 1);
  CHECK((*nodes)[0].relation == "orders");
  CHECK((*nodes)[0].filter == "(customer_id >= ?)");
  CHECK((*nodes)[0].rows_removed == Approx(19800));
  CHECK((*nodes)[0].total_ms == Approx(3.25));
  CHECK_FALSE(querylog::plan_seq_scans("{ not json"));
  CHECK_FALSE(querylog::plan_seq_scans("something else"));
}
