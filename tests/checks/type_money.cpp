#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_money: flags money columns with an expand-contract move to numeric", "[checks][type_money]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invoices(id bigint primary key, amount money, tax numeric(12, 2));
  )");

  const auto result = db.audit({"type_money"});
  const auto s = ident(schema);

  const auto& f = finding(result, "type_money", ident(schema) + ".invoices.amount");
  CHECK(f.severity == model::Severity::low);
  CHECK(f.remediation.find("alter table " + s + ".invoices add column if not exists amount_numeric numeric;") != std::string::npos);
  CHECK(f.remediation.find("set amount_numeric = amount::numeric") != std::string::npos);
  CHECK_FALSE(has_finding(result, "type_money", ident(schema) + ".invoices.tax"));
  CHECK(findings_of(result, "type_money").size() == 1);
}
