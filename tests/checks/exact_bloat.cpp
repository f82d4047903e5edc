#include "checks/opt_in_audit.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("table_bloat_exact: measures the largest tables with pgstattuple when opted in", "[checks][table_bloat_exact]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.exec("create extension pgstattuple");
  db.plant(schema, R"(
    create table $s.churn(id int, note text) with (autovacuum_enabled = false);
    insert into $s.churn select g, repeat('x', 100) from generate_series(1, 20000) g;
    delete from $s.churn where id % 10 <> 0;
    create table $s.fresh(id int, note text) with (autovacuum_enabled = false);
    insert into $s.fresh select g, repeat('x', 100) from generate_series(1, 20000) g;
  )");
  db.exec(with_schema(schema, "vacuum $s.churn"));
  db.exec(with_schema(schema, "vacuum $s.fresh"));
  auto config = audit::default_config();
  config.checks["table_bloat_exact"].params["min_bloat_bytes"] = "1000000";

  SECTION("skipped without --opt-in exact_bloat")
  {
    const auto result = db.audit({"table_bloat_exact"}, config);
    const auto reason = skip_reason(result, "table_bloat_exact");
    REQUIRE(reason);
    CHECK(reason->find("--opt-in exact_bloat") != std::string::npos);
  }
  SECTION("flags the churned table, not the fresh one")
  {
    const auto result = audit_with_opt_ins(db, {"table_bloat_exact"}, {"exact_bloat"}, config);
    REQUIRE_FALSE(skip_reason(result, "table_bloat_exact"));
    const auto& f = finding(result, "table_bloat_exact", ident(schema) + ".churn");
    CHECK(f.category == "table_bloat");
    CHECK(f.evidence.at("method") == "pgstattuple");
    CHECK(f.evidence.at("bloat_pct").get<double>() >= 80);
    CHECK(f.remediation.find("vacuum (analyze) " + ident(schema) + ".churn;") != std::string::npos);
    CHECK_FALSE(has_finding(result, "table_bloat_exact", ident(schema) + ".fresh"));
    CHECK(findings_of(result, "table_bloat_exact").size() == 1);
  }
}

TEST_CASE("index_bloat_exact: measures the largest B-tree indexes with pgstatindex when opted in", "[checks][index_bloat_exact]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.exec("create extension pgstattuple");
  db.plant(schema, R"(
    create table $s.churn(id int) with (autovacuum_enabled = false);
    insert into $s.churn select g from generate_series(1, 100000) g;
    create index churn_id_idx on $s.churn(id);
    delete from $s.churn where id % 10 <> 0;
  )");
  db.exec(with_schema(schema, "vacuum $s.churn"));
  db.exec(with_schema(schema, "create index churn_id_fresh_idx on $s.churn(id)"));
  auto config = audit::default_config();
  config.checks["index_bloat_exact"].params["min_bloat_bytes"] = "1000000";

  const auto result = audit_with_opt_ins(db, {"index_bloat_exact"}, {"exact_bloat"}, config);
  REQUIRE_FALSE(skip_reason(result, "index_bloat_exact"));
  const auto& f = finding(result, "index_bloat_exact", ident(schema) + ".churn_id_idx");
  CHECK(f.category == "index_bloat");
  CHECK(f.evidence.at("method") == "pgstatindex");
  CHECK(f.remediation.find("reindex index concurrently " + ident(schema) + ".churn_id_idx;") != std::string::npos);
  CHECK_FALSE(has_finding(result, "index_bloat_exact", ident(schema) + ".churn_id_fresh_idx"));
  CHECK(findings_of(result, "index_bloat_exact").size() == 1);
}
