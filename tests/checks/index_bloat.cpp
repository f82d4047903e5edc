#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("index_bloat: flags a B-tree index that lost most of its keys, not a rebuilt one", "[checks][versioned][index_bloat]")
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

TEST_CASE("index_bloat: an index below min_pages is not judged, whatever the bloat thresholds", "[checks][versioned][index_bloat]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // small_churn_id_idx: 11 pages, 80 % of its keys deleted (a real bloat of about 60 %, but of 7
  // pages); small_fresh_idx: 8 pages, built compact.
  db.plant(schema, R"(
    create table $s.small_churn(id int, label text) with (autovacuum_enabled = false);
    insert into $s.small_churn select g, 'label ' || g from generate_series(1, 3000) g;
    create index small_churn_id_idx on $s.small_churn(id);
    delete from $s.small_churn where id % 5 <> 0;
    create table $s.small_fresh(id int);
    insert into $s.small_fresh select generate_series(1, 2000);
    create index small_fresh_idx on $s.small_fresh(id);
  )");
  db.exec(with_schema(schema, "vacuum (analyze) $s.small_churn"));
  db.exec(with_schema(schema, "analyze $s.small_fresh"));
  auto config = audit::default_config();
  config.checks["index_bloat"].params["min_bloat_bytes"] = "0";
  config.checks["index_bloat"].params["min_bloat_pct"] = "10";

  const auto judged = db.audit({"index_bloat"}, config);
  CHECK_FALSE(has_finding(judged, "index_bloat", ident(schema) + ".small_churn_id_idx"));
  CHECK_FALSE(has_finding(judged, "index_bloat", ident(schema) + ".small_fresh_idx"));

  // The same indexes with min_pages lowered to 2: the estimate is there, only the size kept it out.
  config.checks["index_bloat"].params["min_pages"] = "2";
  const auto all = db.audit({"index_bloat"}, config);
  CHECK(finding(all, "index_bloat", ident(schema) + ".small_churn_id_idx").evidence.at("bloat_pct").get<double>() >= 50);
}
