#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("unused_column_statements: flags columns no recorded statement references on a used table",
          "[checks][unused_column_statements]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.exec("create extension pg_stat_statements");
  db.plant(schema, R"(
    create table $s.users(id int primary key, email text, nickname text, legacy_code text,
                          deprecated_x text, "Mixed Case" text, org_id int, old_flag text, deprecated_old_flag text,
                          fax text);
    insert into $s.users select g, 'u' || g, 'n', 'l', null, 'm', 1, 'o', null, null from generate_series(1, 20000) g;
    create table $s.audit_log(id int, msg text);
    insert into $s.audit_log select g, 'm' from generate_series(1, 20000) g;
    create table $s.notes(id int, body text, author int);
    insert into $s.notes select g, 'b', g from generate_series(1, 20000) g;
    analyze $s.users;
    analyze $s.audit_log;
    analyze $s.notes;
  )");
  db.exec("select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)");  // this database only: tests run in parallel
  const auto q = schema == "public" ? std::string() : qi(schema) + ".";
  db.exec_with_stats("select email from " + q + "users where email = 'a';"
                     "update " + q + "users u set nickname = 'x' where u.id = 1;"
                     "select u.\"Mixed Case\" from " + q + "users u join " + q + "notes n on n.author = u.id;"
                     "select * from " + q + "notes where id = 3;");
  auto config = audit::default_config();
  config.checks["unused_column_statements"].params["min_statements"] = "3";

  // The statements of this fresh cluster cover minutes: low confidence, info, nothing to run.
  const auto young = finding(db.audit({"unused_column_statements"}, config), "unused_column_statements",
                             ident(schema) + ".users.legacy_code");
  CHECK(young.confidence == "low");
  CHECK(young.severity == model::Severity::info);
  CHECK(young.remediation.find("not enough evidence yet") != std::string::npos);
  CHECK(young.remediation.find("alter table") == std::string::npos);

  // Judged as if the window were long enough (stats_min_age_days = 0): the rename.
  config.stats_min_age_days = 0;
  const auto result = db.audit({"unused_column_statements"}, config);
  REQUIRE_FALSE(skip_reason(result, "unused_column_statements"));
  const auto& f = finding(result, "unused_column_statements", ident(schema) + ".users.legacy_code");
  CHECK(f.category == "unused_column");
  CHECK(f.confidence == "high");
  CHECK(f.remediation.find("alter table " + ident(schema) + ".users rename column legacy_code to deprecated_legacy_code;")
        != std::string::npos);
  // Referenced, keyed, tenant key, already deprecated; a table no statement reads; a table read with *.
  for (const auto* column : {"id", "email", "nickname", "deprecated_x", "Mixed Case", "org_id"}) {
    CHECK_FALSE(has_finding(result, "unused_column_statements", ident(schema) + ".users." + column));
  }
  CHECK_FALSE(has_finding(result, "unused_column_statements", ident(schema) + ".audit_log.msg"));
  CHECK_FALSE(has_finding(result, "unused_column_statements", ident(schema) + ".notes.body"));
  // deprecated_old_flag is taken: the rename takes a name of its own, and runs.
  const auto& taken = finding(result, "unused_column_statements", ident(schema) + ".users.old_flag");
  CHECK(taken.remediation.find("rename column old_flag to deprecated_old_flag_") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, taken);
  INFO(fixed.run.output);
  CHECK(fixed.run.errors().empty());
  // its undo renames it back, and the fix runs again (there was no undo at all)
  const auto undone = run_psql_script(*fixed.copy, taken.undo + "\n" + taken.remediation);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(taken.undo.find("rename column deprecated_old_flag_") != std::string::npos);
  CHECK(findings_of(result, "unused_column_statements").size() == 3);

  // fax is NULL in every row too: with unused_column, one entry, unused_column's (the stronger
  // proof), which the statements' verdict agrees with once it has the evidence, and only then.
  // (Analyzed again once the insert's counters are flushed: unused_column wants statistics taken
  // after the last writes.)
  db.exec_with_stats("select 1");
  db.exec_with_stats(with_schema(schema, "analyze $s.users"));
  const auto both = db.audit({"unused_column", "unused_column_statements"}, config);
  const auto& fax = finding(both, "unused_column", ident(schema) + ".users.fax");
  CHECK_FALSE(has_finding(both, "unused_column_statements", ident(schema) + ".users.fax"));
  CHECK(fax.evidence.contains("unused_column_statements"));
  CHECK(fax.message.find("; unused_column_statements agrees: ") != std::string::npos);
  auto young_config = config;
  young_config.stats_min_age_days = audit::default_config().stats_min_age_days;
  const auto young_both = db.audit({"unused_column", "unused_column_statements"}, young_config);
  const auto& young_fax = finding(young_both, "unused_column", ident(schema) + ".users.fax");
  CHECK(young_fax.evidence.contains("unused_column_statements"));
  CHECK(young_fax.message.find("agrees") == std::string::npos);
}

TEST_CASE("unused_column_statements: is skipped while too few statements are recorded", "[checks][unused_column_statements]")
{
  ScratchDb db;
  db.exec("create extension pg_stat_statements");
  db.exec("select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)");  // this database only: tests run in parallel
  auto config = audit::default_config();
  config.checks["unused_column_statements"].params["min_statements"] = "1000000";
  const auto result = db.audit({"unused_column_statements"}, config);
  const auto reason = skip_reason(result, "unused_column_statements");
  REQUIRE(reason);
  CHECK(reason->find("min_statements") != std::string::npos);
}
