#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_varchar_n: flags varchar(n) columns once, with a catalog-only change to text",
          "[checks][type_varchar_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.customers(id bigint primary key, name varchar(80), notes text, locale varchar);
    create table $s.events(id bigint not null, at date not null, source varchar(32)) partition by range (at);
    create table $s.events_2024 partition of $s.events for values from ('2024-01-01') to ('2025-01-01');
    create view $s.customer_names as select name from $s.customers;
  )");

  const auto result = db.audit({"type_varchar_n"});
  const auto s = ident(schema);

  const auto& name = finding(result, "type_varchar_n", schema + ".customers.name");
  CHECK(name.severity == audit::Severity::info);
  CHECK(name.evidence["max_length"] == 80);
  CHECK(name.remediation.find("alter table " + s + ".customers alter column name type text;") != std::string::npos);
  CHECK(name.remediation.find("check (pg_catalog.length(name) <= 80) not valid;") != std::string::npos);
  CHECK(has_finding(result, "type_varchar_n", schema + ".events.source"));

  CHECK_FALSE(has_finding(result, "type_varchar_n", schema + ".customers.notes"));
  CHECK_FALSE(has_finding(result, "type_varchar_n", schema + ".customers.locale"));     // no limit
  CHECK_FALSE(has_finding(result, "type_varchar_n", schema + ".events_2024.source"));   // the parent's
  CHECK_FALSE(has_finding(result, "type_varchar_n", schema + ".customer_names.name"));  // a view
  CHECK(findings_of(result, "type_varchar_n").size() == 2);
}
