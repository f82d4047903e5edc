#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

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

TEST_CASE("vacuum_health: dead rows under autovacuum's threshold for the table are not stale", "[checks][versioned][vacuum_health]")
{
  // listmonk's link_clicks: 20,500 dead rows of 100,000, never vacuumed, were medium; autovacuum
  // was not due yet (threshold 50 + 20% of the rows), and vacuumed it a second after the audit
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.clicks(id int primary key, v int);
    insert into $s.clicks select g, g from generate_series(1, 100000) g;
    -- control: autovacuum cannot run here, and its threshold is 1% of the rows: past it
    create table $s.views(id int primary key, v int) with (autovacuum_enabled = false, autovacuum_vacuum_scale_factor = 0.01);
    insert into $s.views select g, g from generate_series(1, 100000) g;
    analyze $s.clicks, $s.views;
  )");
  db.exec_with_stats(with_schema(schema, "delete from $s.clicks where id <= 6000; delete from $s.views where id <= 6000"));
  auto config = audit::default_config();
  config.checks["vacuum_health"].params["min_dead_tup"] = "1000";
  config.checks["vacuum_health"].params["max_vacuum_age_days"] = "0";
  const auto result = db.audit({"vacuum_health"}, config);
  CHECK_FALSE(has_finding(result, "vacuum_health", ident(schema) + ".clicks"));
  const auto& views = finding(result, "vacuum_health", ident(schema) + ".views");
  INFO(views.message);
  CHECK(views.message.find("never vacuumed, with 6000 dead tuples, past autovacuum's threshold for it (1050)") != std::string::npos);
  CHECK(views.evidence.at("vacuum_threshold") == 1050);
}

TEST_CASE("vacuum_health: dead rows autovacuum is due to remove are low, and high once it falls behind", "[checks][versioned][vacuum_health]")
{
  // OpenFGA: a bulk delete left 70% of tuple's rows dead, high; autovacuum removed them seconds
  // after the audit. A snapshot held in another session keeps the rows dead whether or not
  // autovacuum gets to the table meanwhile.
  ScratchDb db;
  db.plant("public", R"(
    create table tuples(id bigint primary key, v text);
    insert into tuples select g, md5(g::text) from generate_series(1, 100000) g;
    analyze tuples;
  )");
  pqxx::connection holder(db.conninfo());
  pqxx::transaction<pqxx::isolation_level::repeatable_read> snapshot(holder);
  snapshot.exec("select count(*) from pg_class");
  db.exec_with_stats("delete from tuples where id % 10 < 6");

  const auto due = finding(db.audit({"vacuum_health"}), "vacuum_health", "public.tuples");
  INFO(due.message);
  CHECK(due.severity == model::Severity::low);
  CHECK(due.message.find("autovacuum is due to remove them (past its threshold for it, ") != std::string::npos);
  CHECK(due.evidence.at("vacuum_due") == true);

  // Not vacuumed within max_vacuum_age_days (0 here): autovacuum fell behind, high as before.
  auto config = audit::default_config();
  config.checks["vacuum_health"].params["max_vacuum_age_days"] = "0";
  const auto behind = finding(db.audit({"vacuum_health"}, config), "vacuum_health", "public.tuples");
  INFO(behind.message);
  // high at half dead, else medium, as before (autovacuum may reach the table meanwhile: it cannot
  // remove the rows the snapshot holds, but its count of them differs from the delete's)
  CHECK(behind.severity ==
        (behind.evidence.at("dead_pct").get<double>() >= 50 ? model::Severity::high : model::Severity::medium));
  CHECK(behind.evidence.at("vacuum_due") == false);
  CHECK(behind.message.find("autovacuum is due") == std::string::npos);
}
