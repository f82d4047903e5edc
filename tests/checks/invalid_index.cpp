#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("invalid_index: flags an index left invalid, not a valid one", "[checks][invalid_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id int, code text);
    insert into $s.orders select g % 10, 'c' || g from generate_series(1, 100) g;
    create index orders_code_idx on $s.orders(code);
  )");
  // A failed CREATE UNIQUE INDEX CONCURRENTLY leaves the index behind, invalid.
  CHECK_THROWS(db.exec(with_schema(schema, "create unique index concurrently orders_id_key on $s.orders(id)")));

  const auto result = db.audit({"invalid_index"});
  const auto& f = finding(result, "invalid_index", schema + ".orders_id_key");
  CHECK(f.severity == audit::Severity::critical); // unique: uniqueness is not enforced
  CHECK(f.remediation.find("reindex index concurrently " + ident(schema) + ".orders_id_key") != std::string::npos);
  CHECK_FALSE(has_finding(result, "invalid_index", schema + ".orders_code_idx"));
  CHECK(findings_of(result, "invalid_index").size() == 1);
}
