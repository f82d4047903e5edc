#include "checks/opt_in_audit.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace test;

namespace {

// `sql` repeated `n` times as separate top-level statements (pg_stat_statements records
// top-level statements only, one entry per normalised text).
std::string
repeat(const std::string& sql, int n)
{
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += sql + ";\n";
  }
  return out;
}

// Plants orders (seq-scanned, filtered on status and created_at; customer_id indexed) and
// customers (read by primary key) in `schema`, with pg_stat_statements reset before the
// statements run. In public the statements name the tables unqualified (search_path).
void
plant_orders(const ScratchDb& db, const std::string& schema)
{
  db.exec("create extension pg_stat_statements");
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key, customer_id int, status text, created_at timestamptz, note text);
    insert into $s.orders select g, g % 500, case when g % 7 = 0 then 'open' else 'done' end,
                                 now() - g * interval '1 minute', 'n'
      from generate_series(1, 20000) g;
    create index orders_customer_idx on $s.orders(customer_id);
    create table $s.customers(id int primary key, email text);
    insert into $s.customers select g, 'c' || g || '@example.com' from generate_series(1, 20000) g;
    analyze $s.orders;
    analyze $s.customers;
  )");
  db.exec("select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)");  // this database only: tests run in parallel
  // In public the statements name the tables unqualified (search_path), elsewhere qualified.
  const auto q = schema == "public" ? std::string() : qi(schema) + ".";
  db.exec_with_stats(
    repeat("select count(*) from " + q + "orders o where o.status = 'open' and o.created_at >= '2020-01-01'", 60)
    + repeat("select note from " + q + "orders where customer_id = 42", 20)
    + repeat("select c.email from " + q + "customers c join " + q + "orders o on o.customer_id = c.id where c.id = 7", 5));
}

} // namespace

TEST_CASE("missing_index_statements: proposes an index on the columns statements filter a seq-scanned table on",
          "[checks][missing_index_statements]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);

  const auto result = db.audit({"missing_index_statements"});
  REQUIRE_FALSE(skip_reason(result, "missing_index_statements"));
  const auto& f = finding(result, "missing_index_statements", ident(schema) + ".orders");
  CHECK(f.category == "missing_index");
  CHECK(f.remediation.rfind("set lock_timeout = '5s';\ncreate index concurrently if not exists orders_status_created_at_idx on "
                            + ident(schema) + ".orders (status, created_at);\n", 0) == 0);
  // A failed build is dropped by the step after it; the undo drops the index.
  CHECK(f.remediation.find("    drop index " + ident(schema) + ".orders_status_created_at_idx;") != std::string::npos);
  CHECK(f.undo == "set lock_timeout = '5s';\ndrop index concurrently if exists " + ident(schema) + ".orders_status_created_at_idx;");
  ScratchDb copy(db.name());
  const auto run = run_psql_script(copy, f.remediation);
  INFO(run.output);
  CHECK(run.errors().empty());
  CHECK(copy.scalar(with_schema(schema, "select indisvalid from pg_index where indexrelid = '$s.orders_status_created_at_idx'::regclass")) == "t");
  CHECK(f.evidence.at("calls").get<long>() == 60);
  CHECK(f.evidence.at("statement").get<std::string>().find("o.status = $1") != std::string::npos);
  // customer_id is indexed already; customers is read by its primary key.
  CHECK_FALSE(has_finding(result, "missing_index_statements", ident(schema) + ".customers"));
  CHECK(findings_of(result, "missing_index_statements").size() == 1);

  // With missing_index too, orders is one entry: the statements' proposal, carrying the scans.
  auto config = audit::default_config();
  for (const auto* param : {"min_rows", "min_seq_scan", "min_avg_seq_tup"}) {
    config.checks["missing_index"].params[param] = "1";
  }
  const auto alone = db.audit({"missing_index"}, config);
  REQUIRE(has_finding(alone, "missing_index", ident(schema) + ".orders"));
  const auto both = db.audit({"missing_index", "missing_index_statements"}, config);
  CHECK_FALSE(has_finding(both, "missing_index", ident(schema) + ".orders"));
  const auto& merged = finding(both, "missing_index_statements", ident(schema) + ".orders");
  CHECK(merged.evidence.contains("missing_index"));
  CHECK(merged.message.find("; missing_index agrees: ") != std::string::npos);
}

TEST_CASE("missing_index_statements: is skipped without pg_stat_statements", "[checks][missing_index_statements]")
{
  ScratchDb db;
  const auto result = db.audit({"missing_index_statements"});
  const auto reason = skip_reason(result, "missing_index_statements");
  REQUIRE(reason);
  CHECK(reason->find("pg_stat_statements") != std::string::npos);
}

// hypopg is Debian's package for its PostgreSQL 15 only (scripts/install-deps.sh): not in the matrix
TEST_CASE("missing_index_statements: with --opt-in hypopg, confirms a proposal with a hypothetical index",
          "[checks][missing_index_statements][not_pg13][not_pg14][not_pg16][not_pg17][not_pg18]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  db.exec("create extension hypopg");

  SECTION("without the opt-in the evidence says how to enable it")
  {
    const auto result = db.audit({"missing_index_statements"});
    const auto& f = finding(result, "missing_index_statements", ident(schema) + ".orders");
    CHECK(f.evidence.at("hypopg").at("skipped").get<std::string>().find("--opt-in hypopg") != std::string::npos);
  }
  SECTION("with it, EXPLAIN costs before and after, and nothing is left behind")
  {
    const auto result = audit_with_opt_ins(db, {"missing_index_statements"}, {"hypopg"});
    const auto& f = finding(result, "missing_index_statements", ident(schema) + ".orders");
    const auto& hypo = f.evidence.at("hypopg");
    INFO(hypo.dump());
    CHECK(hypo.at("index_used").get<bool>());
    CHECK(hypo.at("cost_after").get<double>() < hypo.at("cost_before").get<double>());
    CHECK(f.severity == model::Severity::medium);
    // The confirmation session is closed (backends exit asynchronously: wait up to 10 s) and
    // created no index.
    std::optional<std::string> sessions;
    for (int i = 0; i < 100 && sessions != "0"; ++i) {
      if (i > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      sessions = db.scalar("select count(*) from pg_stat_activity where datname = current_database() "
                           "and application_name = 'schema-audit'");
    }
    CHECK(sessions == "0");
    CHECK(db.scalar("select count(*) from pg_indexes where schemaname = '" + schema + "' and tablename = 'orders'") == "2");
  }
}
