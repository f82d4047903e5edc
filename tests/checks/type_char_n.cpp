#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_char_n: flags char(n) columns with an expand-contract move to text", "[checks][type_char_n]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.accounts(id bigint primary key, country_code char(2), status "char", currency text);
  )");

  const auto result = db.audit({"type_char_n"});
  const auto s = ident(schema);

  const auto& f = finding(result, "type_char_n", schema + ".accounts.country_code");
  CHECK(f.evidence["column_type"] == "character(2)");
  CHECK(f.remediation.find("alter table " + s + ".accounts add column if not exists country_code_text text;") != std::string::npos);
  CHECK(f.remediation.find(" type text") == std::string::npos);
  CHECK_FALSE(has_finding(result, "type_char_n", schema + ".accounts.status")); // the internal "char" type
  CHECK_FALSE(has_finding(result, "type_char_n", schema + ".accounts.currency"));
  CHECK(findings_of(result, "type_char_n").size() == 1);
}
