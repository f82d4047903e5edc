#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("fk_type_mismatch: flags foreign key columns typed unlike the key they reference",
          "[checks][fk_type_mismatch]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key);
    create table $s.countries(code varchar(2) primary key);
    create table $s.order_items(id bigint primary key, order_id integer references $s.orders(id), sku text);
    create table $s.addresses(id bigint primary key, country_code text references $s.countries(code));
    -- control: same types
    create table $s.shipments(id bigint primary key, order_id bigint references $s.orders(id));
  )");

  const auto result = db.audit({"fk_type_mismatch"});
  const auto s = ident(schema);

  const auto& item = finding(result, "fk_type_mismatch", schema + ".order_items.order_id");
  CHECK(item.severity == audit::Severity::high); // integer referencing bigint overflows
  CHECK(item.evidence["column_type"] == "integer");
  CHECK(item.evidence["referenced_type"] == "bigint");
  CHECK(item.remediation.find("alter table " + s + ".order_items add column if not exists order_id_new bigint;") !=
        std::string::npos);
  CHECK(item.remediation.find("references " + s + ".orders (id) not valid;") != std::string::npos);

  const auto& address = finding(result, "fk_type_mismatch", schema + ".addresses.country_code");
  CHECK(address.severity == audit::Severity::medium);
  CHECK(address.evidence["referenced_type"] == "character varying(2)");

  CHECK_FALSE(has_finding(result, "fk_type_mismatch", schema + ".shipments.order_id"));
  CHECK(findings_of(result, "fk_type_mismatch").size() == 2);
}
