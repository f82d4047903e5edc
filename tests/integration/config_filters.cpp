#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

void
plant_two_invalid_indexes(const ScratchDb& db)
{
  db.exec(R"(
    create schema archive;
    create table public.a(id int); insert into public.a values (1), (1);
    create table archive.b(id int); insert into archive.b values (1), (1);
  )");
  CHECK_THROWS(db.exec("create unique index concurrently a_id_key on public.a(id)"));
  CHECK_THROWS(db.exec("create unique index concurrently b_id_key on archive.b(id)"));
}

} // namespace

TEST_CASE("config: exclude_schemas and exclude_tables drop findings", "[integration][config]")
{
  ScratchDb db;
  plant_two_invalid_indexes(db);
  CHECK(findings_of(db.audit({"invalid_index"}), "invalid_index").size() == 2);

  auto config = audit::default_config();
  config.exclude_schemas = {"arch*"};
  auto result = db.audit({"invalid_index"}, config);
  CHECK(has_finding(result, "invalid_index", "public.a_id_key"));
  CHECK_FALSE(has_finding(result, "invalid_index", "archive.b_id_key"));

  config = audit::default_config();
  config.exclude_tables = {"public.a"};
  result = db.audit({"invalid_index"}, config);
  CHECK_FALSE(has_finding(result, "invalid_index", "public.a_id_key"));
  CHECK(has_finding(result, "invalid_index", "archive.b_id_key"));
}

TEST_CASE("config: suppressions hide a finding until they expire", "[integration][config]")
{
  ScratchDb db;
  plant_two_invalid_indexes(db);
  auto config = audit::default_config();
  config.suppressions.push_back(audit::Suppression{"invalid_index", "public.*", "", "known, fixing in Q3", std::nullopt});
  auto result = db.audit({"invalid_index"}, config);
  CHECK_FALSE(has_finding(result, "invalid_index", "public.a_id_key"));
  CHECK(has_finding(result, "invalid_index", "archive.b_id_key"));
  REQUIRE(result.suppressed.size() == 1);
  CHECK(result.suppressed[0].reason == "known, fixing in Q3");

  // An expired suppression lets the finding return.
  config.suppressions[0].expires = 1; // 1970
  result = db.audit({"invalid_index"}, config);
  CHECK(has_finding(result, "invalid_index", "public.a_id_key"));

  // By fingerprint.
  const auto fp = finding(result, "invalid_index", "archive.b_id_key").fingerprint;
  config.suppressions = {audit::Suppression{"", "", fp, "accepted", std::nullopt}};
  result = db.audit({"invalid_index"}, config);
  CHECK_FALSE(has_finding(result, "invalid_index", "archive.b_id_key"));
  CHECK(has_finding(result, "invalid_index", "public.a_id_key"));
}

TEST_CASE("config: labels quote identifiers, so names with dots never share a label or a suppression",
          "[integration][config]")
{
  ScratchDb db;
  db.exec(R"(
    create schema "a.b"; create schema a;
    create table "a.b".c(id int); insert into "a.b".c values (1), (1);
    create table a."b.c"(id int); insert into a."b.c" values (1), (1);
  )");
  CHECK_THROWS(db.exec(R"(create unique index concurrently k on "a.b".c(id))"));
  CHECK_THROWS(db.exec(R"(create unique index concurrently "k.x" on a."b.c"(id))"));
  CHECK_THROWS(db.exec(R"(create unique index concurrently "c.k" on a."b.c"(id))"));
  auto result = db.audit({"invalid_index", "no_primary_key"});
  // Unquoted, "a.b".c and a."b.c" were both a.b.c: one label, one fingerprint, one suppression for two tables.
  CHECK(has_finding(result, "no_primary_key", R"("a.b".c)"));
  CHECK(has_finding(result, "no_primary_key", R"(a."b.c")"));
  CHECK(has_finding(result, "invalid_index", R"("a.b".k)"));
  CHECK(has_finding(result, "invalid_index", R"(a."k.x")"));
  CHECK(has_finding(result, "invalid_index", R"(a."c.k")"));

  auto config = audit::default_config();
  config.suppressions.push_back(audit::Suppression{"no_primary_key", R"(a."b.c")", "", "one of the two", std::nullopt});
  result = db.audit({"no_primary_key"}, config);
  CHECK(has_finding(result, "no_primary_key", R"("a.b".c)"));
  CHECK_FALSE(has_finding(result, "no_primary_key", R"(a."b.c")"));
  CHECK(result.suppressed.size() == 1);
}

TEST_CASE("config: a disabled check does not run", "[integration][config]")
{
  ScratchDb db;
  plant_two_invalid_indexes(db);
  auto config = audit::default_config();
  config.checks["invalid_index"].enabled = false;
  const auto result = db.audit({"invalid_index"}, config);
  CHECK(findings_of(result, "invalid_index").empty());
  CHECK(result.timings.empty());
}

TEST_CASE("config: the schemas of well-known extensions are skipped unless extension_schemas is emptied",
          "[integration][config]")
{
  ScratchDb db;
  // pg_partman's layout: a partitioned table, and its template table in schema partman (with no
  // primary key, as pg_partman creates it); a keyless application table as the control.
  db.exec(R"(
    create schema partman;
    create table public.events(id bigint, created_at timestamptz not null) partition by range (created_at);
    create table partman.template_public_events (like public.events);
    create table public.audit_log(id bigint, note text);
  )");
  auto result = db.audit({"no_primary_key"});
  CHECK(has_finding(result, "no_primary_key", "public.audit_log"));
  CHECK_FALSE(has_finding(result, "no_primary_key", "partman.template_public_events"));

  auto config = audit::default_config();
  config.extension_schemas.clear();
  result = db.audit({"no_primary_key"}, config);
  CHECK(has_finding(result, "no_primary_key", "partman.template_public_events"));
}

TEST_CASE("config: a migration tool's bookkeeping table is no finding of any check", "[integration][config]")
{
  // Lemmy: diesel's own table was the schema's only timestamp without time zone
  ScratchDb db;
  db.exec(R"(
    create table public.__diesel_schema_migrations(version varchar(50) primary key not null,
                                                   run_on timestamp not null default current_timestamp);
    create table public.schema_migrations(version varchar(255));
    create table public.runs(id bigint primary key, name varchar(50), started timestamp);
  )");
  const auto result = db.audit({"type_varchar_n", "type_timestamp_no_tz", "no_primary_key"});
  for (const auto& f : result.findings.heads()) {
    INFO(f.object);
    CHECK(f.object.find("migrations") == std::string::npos);
  }
  CHECK(has_finding(result, "type_varchar_n", "public.runs.name"));
  CHECK(has_finding(result, "type_timestamp_no_tz", "public.runs.started"));
}
