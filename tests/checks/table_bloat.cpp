#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("table_bloat: flags a table that lost most of its rows, not a freshly loaded one", "[checks][table_bloat]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.churn(id int, note text, amount numeric, gone text) with (autovacuum_enabled = false);
    insert into $s.churn select g, repeat('x', 100), g * 1.5, null from generate_series(1, 20000) g;
    delete from $s.churn where id % 10 <> 0;
    create table $s.fresh(id int, note text, amount numeric, gone text) with (autovacuum_enabled = false);
    insert into $s.fresh select g, repeat('x', 100), g * 1.5, case when g % 3 = 0 then 'y' end from generate_series(1, 20000) g;
    create table $s.packed(id int, note text) with (fillfactor = 50, autovacuum_enabled = false);
    insert into $s.packed select g, repeat('x', 100) from generate_series(1, 20000) g;
  )");
  // ANALYZE sets reltuples to the live rows and relpages to the real size.
  db.exec(with_schema(schema, "analyze $s.churn; analyze $s.fresh; analyze $s.packed"));
  auto config = audit::default_config();
  config.checks["table_bloat"].params["min_bloat_bytes"] = "1000000";

  const auto result = db.audit({"table_bloat"}, config);
  const auto& f = finding(result, "table_bloat", ident(schema) + ".churn");
  CHECK(f.category == "table_bloat");
  CHECK(f.evidence.at("bloat_pct").get<double>() >= 80);
  CHECK(f.evidence.at("bloat_bytes").get<double>() >= 1000000);
  CHECK(f.remediation.find("vacuum (analyze) " + ident(schema) + ".churn;") != std::string::npos);
  CHECK(f.remediation.find("pg_repack") != std::string::npos);
  CHECK_FALSE(has_finding(result, "table_bloat", ident(schema) + ".fresh"));
  CHECK_FALSE(has_finding(result, "table_bloat", ident(schema) + ".packed")); // free space by fillfactor
  CHECK(findings_of(result, "table_bloat").size() == 1);
}
