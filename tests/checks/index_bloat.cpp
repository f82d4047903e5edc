#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("index_bloat: flags a B-tree index that lost most of its keys, not a rebuilt one", "[checks][index_bloat]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.churn(id int, kind int, label text) with (autovacuum_enabled = false);
    insert into $s.churn select g, g % 5, 'label ' || g from generate_series(1, 100000) g;
    create index churn_id_idx on $s.churn(id);
    create index churn_kind_idx on $s.churn(kind);
    delete from $s.churn where id % 10 <> 0;
  )");
  db.exec(with_schema(schema, "vacuum (analyze) $s.churn"));
  // Built after the delete: compact. The deduplicated low-cardinality index is compact too.
  db.exec(with_schema(schema, R"(
    create index churn_id_fresh_idx on $s.churn(id);
    create index churn_label_idx on $s.churn(label);
    create index churn_kind_fresh_idx on $s.churn(kind);
  )"));
  db.exec(with_schema(schema, "analyze $s.churn"));
  auto config = audit::default_config();
  config.checks["index_bloat"].params["min_bloat_bytes"] = "1000000";

  const auto result = db.audit({"index_bloat"}, config);
  const auto& f = finding(result, "index_bloat", ident(schema) + ".churn_id_idx");
  CHECK(f.category == "index_bloat");
  CHECK(f.evidence.at("bloat_pct").get<double>() >= 70);
  CHECK(f.remediation.find("reindex index concurrently " + ident(schema) + ".churn_id_idx;") != std::string::npos);
  CHECK(f.remediation.find("set lock_timeout") != std::string::npos);
  CHECK_FALSE(has_finding(result, "index_bloat", ident(schema) + ".churn_id_fresh_idx"));
  CHECK_FALSE(has_finding(result, "index_bloat", ident(schema) + ".churn_label_idx"));
  CHECK_FALSE(has_finding(result, "index_bloat", ident(schema) + ".churn_kind_fresh_idx"));
}
