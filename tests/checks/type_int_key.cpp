#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_int_key: flags integer primary keys on tables of real size, by size", "[checks][type_int_key]")
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

  // The default threshold (a million rows) leaves these small tables alone.
  CHECK(findings_of(db.audit({"type_int_key"}), "type_int_key").empty());
}
