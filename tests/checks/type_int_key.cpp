#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_int_key: flags integer primary keys on tables of real size, by size, and its fix prepares the new key",
          "[checks][type_int_key][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.events(id serial primary key, kind text);
    insert into $s.events(kind) select 'click' from generate_series(1, 3000);
    create table $s.page_views(id integer primary key, path text);
    insert into $s.page_views select g, '/p/' || g from generate_series(1, 12000) g;
    -- controls: bigint key; integer key on a small table
    create table $s.sessions(id bigint primary key);
    insert into $s.sessions select generate_series(1, 3000);
    create table $s.countries(id integer primary key, name text);
    insert into $s.countries values (1, 'France'), (2, 'Japan');
  )");
  db.exec_with_stats("analyze");

  auto config = audit::default_config();
  config.checks["type_int_key"].params["min_rows"] = "1000";
  config.checks["type_int_key"].params["medium_rows"] = "10000";
  const auto result = db.audit({"type_int_key"}, config);
  const auto s = ident(schema);

  const auto& events = finding(result, "type_int_key", ident(schema) + ".events.id");
  CHECK(events.severity == model::Severity::low);
  CHECK(events.remediation.find("alter table " + s + ".events add column if not exists id_bigint bigint;") != std::string::npos);
  CHECK(events.remediation.find("alter sequence " + s + ".events_id_seq as bigint") != std::string::npos);
  CHECK(finding(result, "type_int_key", ident(schema) + ".page_views.id").severity == model::Severity::medium);
  CHECK_FALSE(has_finding(result, "type_int_key", ident(schema) + ".sessions.id"));
  CHECK_FALSE(has_finding(result, "type_int_key", ident(schema) + ".countries.id"));
  CHECK(findings_of(result, "type_int_key").size() == 2);

  // The fix as printed: the new column kept in sync by a trigger and filled, NOT NULL as a
  // validated check, the key's index built on it; the swap itself is left to do by hand (the
  // primary key uses the column), so the finding stays and nothing is weakened.
  const auto prepared = run_fix_on_copy(db, events);
  INFO(prepared.run.output);
  CHECK(prepared.run.errors().empty());
  CHECK(prepared.weakened.empty());
  CHECK(prepared.invalid.empty());
  CHECK(has_finding(prepared.copy->audit({"type_int_key"}, config), "type_int_key", ident(schema) + ".events.id"));
  prepared.copy->exec(with_schema(schema, "insert into $s.events(kind) values ('late')"));
  CHECK(prepared.copy->scalar(with_schema(schema, "select count(*) from $s.events where id_bigint is distinct from id")) == "0");
  CHECK(prepared.copy->scalar(with_schema(schema, "select count(*) from pg_constraint where conrelid = '$s.events'::regclass "
                                                  "and contype = 'c' and convalidated")) == "1");
  CHECK(prepared.copy->scalar(with_schema(schema, "select indisunique and indisvalid from pg_index "
                                                  "where indexrelid = '$s.events_id_bigint_key'::regclass")) == "t");

  // The default threshold (a million rows) leaves these small tables alone.
  CHECK(findings_of(db.audit({"type_int_key"}), "type_int_key").empty());
}
