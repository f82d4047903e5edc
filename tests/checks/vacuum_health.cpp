#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("vacuum_health: flags a table with autovacuum disabled and dead tuples, not a healthy one", "[checks][versioned][vacuum_health]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.neglected(id int, v int) with (autovacuum_enabled = false);
    insert into $s.neglected select g, g from generate_series(1, 20000) g;
    create table $s.healthy(id int, v int);
    insert into $s.healthy select g, g from generate_series(1, 20000) g;
  )");
  db.exec_with_stats(with_schema(schema, "update $s.neglected set v = v + 1"));

  const auto result = db.audit({"vacuum_health"});
  const auto& f = finding(result, "vacuum_health", ident(schema) + ".neglected");
  CHECK(f.category == "table_bloat");
  CHECK(f.severity == model::Severity::high);
  CHECK(f.message.find("autovacuum is disabled") != std::string::npos);
  CHECK(f.message.find("dead") != std::string::npos);
  CHECK(f.evidence.at("n_dead_tup").get<long>() >= 20000);
  CHECK(f.remediation.find("alter table " + ident(schema) + ".neglected reset (autovacuum_enabled") != std::string::npos);
  CHECK(f.remediation.find("vacuum (analyze) " + ident(schema) + ".neglected;") != std::string::npos);
  CHECK_FALSE(has_finding(result, "vacuum_health", ident(schema) + ".healthy"));
  CHECK(findings_of(result, "vacuum_health").size() == 1);
}
