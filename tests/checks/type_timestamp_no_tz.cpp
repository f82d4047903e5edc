#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_timestamp_no_tz: flags timestamp without time zone columns", "[checks][type_timestamp_no_tz]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key, placed_at timestamp, shipped_at timestamp(0) without time zone,
                           paid_at timestamptz, due_on date);
    create index orders_placed_at_idx on $s.orders(placed_at);
  )");

  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto s = ident(schema);

  const auto& placed = finding(result, "type_timestamp_no_tz", schema + ".orders.placed_at");
  CHECK(placed.evidence["indexed"] == true);
  CHECK(placed.remediation.find("set timezone = 'UTC';") != std::string::npos);
  CHECK(placed.remediation.find("alter table " + s + ".orders alter column placed_at type timestamptz;") != std::string::npos);
  CHECK(placed.remediation.find("indexes on the column are rebuilt") != std::string::npos);
  CHECK(finding(result, "type_timestamp_no_tz", schema + ".orders.shipped_at").evidence["indexed"] == false);
  CHECK_FALSE(has_finding(result, "type_timestamp_no_tz", schema + ".orders.paid_at"));
  CHECK_FALSE(has_finding(result, "type_timestamp_no_tz", schema + ".orders.due_on"));
  CHECK(findings_of(result, "type_timestamp_no_tz").size() == 2);
}
