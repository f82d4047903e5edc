#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("not_valid_constraint: flags CHECK and foreign key constraints never validated",
          "[checks][not_valid_constraint]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.customers(id bigint primary key);
    create table $s.orders(id bigint primary key, customer_id bigint, total numeric, status text);
    insert into $s.customers select generate_series(1, 10);
    insert into $s.orders select g, g % 10 + 1, g, 'open' from generate_series(1, 100) g;
    alter table $s.orders add constraint orders_total_positive check (total > 0) not valid;
    alter table $s.orders add constraint orders_customer_id_fkey foreign key (customer_id)
      references $s.customers(id) not valid;
    -- control: validated
    alter table $s.orders add constraint orders_status_known check (status in ('open', 'paid')) not valid;
    alter table $s.orders validate constraint orders_status_known;
  )");

  const auto result = db.audit({"not_valid_constraint"});
  const auto s = ident(schema);

  const auto& check = finding(result, "not_valid_constraint", schema + ".orders_total_positive");
  CHECK(check.remediation == "set lock_timeout = '5s';\nalter table " + s + ".orders validate constraint orders_total_positive;");
  CHECK(check.evidence["type"] == "check");
  CHECK(finding(result, "not_valid_constraint", schema + ".orders_customer_id_fkey").evidence["type"] == "foreign key");
  CHECK_FALSE(has_finding(result, "not_valid_constraint", schema + ".orders_status_known"));
  CHECK(findings_of(result, "not_valid_constraint").size() == 2);
}
