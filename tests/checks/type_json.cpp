#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

// json and json[] columns (one with an expression index and a default, one with an index-free
// copy for the runbook), a column a view reads, one in a partition key expression, one a
// generated column reads, and jsonb and a deprecated json column as controls.
const char* const k_plant = R"(
  create table $s.events(id bigint primary key, payload json default '{}', tags json[], meta jsonb);
  insert into $s.events select g, json_build_object('kind', 'k' || g % 5, 'n', g), array[json_build_object('t', g)], '{}'
    from generate_series(1, 2000) g;
  create index events_kind_idx on $s.events((payload->>'kind'));
  create table $s.documents(id bigint primary key, body json, deprecated_raw json);
  insert into $s.documents select g, json_build_object('title', 'doc ' || g), '[]' from generate_series(1, 3000) g;
  create table $s.hooks(id bigint primary key, body json);
  create view $s.hook_bodies as select id, body from $s.hooks;
  create table $s.inbox(id bigint not null, doc json) partition by list ((doc->>'box'));
  create table $s.inbox_main partition of $s.inbox for values in ('main');
  create table $s.labels(id bigint primary key, doc json, name text generated always as (doc->>'name') stored);
  analyze;
)";

// A string with a NUL escape: valid json, refused by jsonb.
const char* const k_nul_row = R"(insert into $s.documents(id, body) values (-1, '{"title": "a\u0000b"}'))";

} // namespace

TEST_CASE("type_json: json columns and arrays of json are flagged by the size of their table, jsonb is not, and a view, a "
          "partition key or a generated column gets the reason instead of an ALTER",
          "[checks][type_json]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto result = db.audit({"type_json"});
  const auto s = ident(schema);

  const auto& payload = finding(result, "type_json", s + ".events.payload");
  CHECK(payload.severity == model::Severity::info);
  CHECK(payload.evidence["row_estimate"] == 2000);
  CHECK(payload.evidence["column_used_by"].get<std::string>().find("events_kind_idx") != std::string::npos);
  CHECK(payload.remediation.find("alter table " + s + ".events alter column payload type jsonb using payload::jsonb, "
                                 "alter column payload set default '{}'::jsonb;") !=
        std::string::npos);
  const auto& tags = finding(result, "type_json", s + ".events.tags");
  CHECK(tags.evidence["column_type"] == "json[]");
  CHECK(tags.remediation.find("alter column tags type jsonb[] using tags::jsonb[];") != std::string::npos);
  CHECK_FALSE(has_finding(result, "type_json", s + ".events.meta"));
  CHECK_FALSE(has_finding(result, "type_json", s + ".documents.deprecated_raw"));

  const auto& hooks = finding(result, "type_json", s + ".hooks.body");
  CHECK(hooks.evidence["dependent_views"] == "view " + s + ".hook_bodies");
  const auto& inbox = finding(result, "type_json", s + ".inbox.doc");
  CHECK(inbox.evidence["partition_key"] == true);
  const auto& labels = finding(result, "type_json", s + ".labels.doc");
  CHECK(labels.evidence["blocking"] == "generated column name");
  for (const auto* f : {&hooks, &inbox, &labels}) {
    INFO(f->object << "\n" << f->remediation);
    CHECK(f->remediation.rfind("-- not printed: ", 0) == 0);
    CHECK(f->remediation.find("\nalter table") == std::string::npos);
  }
  CHECK(findings_of(result, "type_json").size() == 6);

  // The severity follows the table's size: low from small_bytes, medium from large_bytes.
  auto config = audit::default_config();
  config.checks["type_json"].params["small_bytes"] = "8192";
  CHECK(finding(db.audit({"type_json"}, config), "type_json", s + ".events.payload").severity == model::Severity::low);
  config.checks["type_json"].params["large_bytes"] = "8192";
  CHECK(finding(db.audit({"type_json"}, config), "type_json", s + ".events.payload").severity == model::Severity::medium);
}

TEST_CASE("type_json: a small table changes in place, a large one by expand-contract, and a value jsonb refuses stops "
          "either before any change",
          "[checks][type_json][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto s = ident(schema);
  const auto result = db.audit({"type_json"});
  const std::vector<model::Finding> in_place{finding(result, "type_json", s + ".events.payload"),
                                             finding(result, "type_json", s + ".events.tags"),
                                             finding(result, "type_json", s + ".documents.body")};

  // Below window_bytes: one ALTER each, the expression index rebuilt, the rows kept.
  const auto fixed = check_every_fix_runs(db, in_place, {"type_json"});
  CHECK(fixed.copy->scalar(with_schema(schema, "select pg_catalog.format_type(atttypid, atttypmod) from pg_attribute "
                                               "where attrelid = '$s.events'::regclass and attname = 'tags'")) == "jsonb[]");
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.events where payload @> '{\"kind\": \"k1\"}'")) == "400");
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.documents where body->>'title' like 'doc %'")) == "3000");

  const auto& documents = in_place[2];
  const auto stopped = check_fix_stops(db, documents, with_schema(schema, k_nul_row),
                                       {".documents.body holds a value that is not valid jsonb", "nothing was changed"});
  CHECK(stopped.still_reported(documents));
  CHECK(stopped.copy->scalar(with_schema(schema, "select count(*) from $s.documents")) == "3001");

  // From window_bytes: the expand-contract runbook, whose swap keeps the old text as deprecated_body.
  auto config = audit::default_config();
  config.checks["type_json"].params["window_bytes"] = "1";
  const auto large = db.audit({"type_json"}, config);
  const auto& runbook = finding(large, "type_json", s + ".documents.body");
  CHECK(runbook.remediation.find(" type jsonb") == std::string::npos);
  CHECK(runbook.remediation.find("add column if not exists body_jsonb jsonb;") != std::string::npos);
  const auto swapped = check_every_fix_runs(db, {runbook}, {"type_json"});
  CHECK(swapped.copy->scalar(with_schema(schema, "select pg_catalog.format_type(atttypid, atttypmod) from pg_attribute "
                                                 "where attrelid = '$s.documents'::regclass and attname = 'body'")) == "jsonb");
  CHECK(swapped.copy->scalar(with_schema(schema, "select count(*) from $s.documents where deprecated_body::jsonb = body")) ==
        "3000");
  const auto runbook_stopped = check_fix_stops(db, runbook, with_schema(schema, k_nul_row),
                                               {".documents.body holds a value that is not valid jsonb"});
  CHECK(runbook_stopped.still_reported(runbook));
  CHECK(runbook_stopped.copy->scalar(with_schema(schema, "select count(*) from $s.documents")) == "3001");
}

TEST_CASE("type_json: a generated json column gets the change without USING, as advice, and is not its own blocker",
          "[checks][type_json]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.profiles(id int primary key, profile jsonb, prof_s json generated always as (profile::json) stored);
    insert into $s.profiles(id, profile) select g, '{"a": 1}' from generate_series(1, 50) g;
  )");
  const auto& f = finding(db.audit({"type_json"}), "type_json", ident(schema) + ".profiles.prof_s");
  INFO(f.message << "\n" << f.remediation);
  CHECK(f.message.find("generated column prof_s") == std::string::npos);
  CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
  const auto statement = "alter table " + ident(schema) + ".profiles alter column prof_s type jsonb;";
  REQUIRE(f.remediation.find("-- " + statement) != std::string::npos);
  // the statement the advice gives runs
  const auto changed = run_fix_on_copy(db, statement);
  INFO(changed.run.output);
  CHECK(changed.problems().empty());
  CHECK(changed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                                 "where attrelid = '$s.profiles'::regclass and attname = 'prof_s'")) == "jsonb");
}

TEST_CASE("type_json: no change is printed under a trigger whose UPDATE OF list names the column", "[checks][type_json]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.docs(id int primary key, body json, meta json);
    create function $s.touch() returns trigger language plpgsql as $$begin return new; end$$;
    create trigger docs_body before update of body on $s.docs for each row execute function $s.touch();
    insert into $s.docs select g, '{}', '{}' from generate_series(1, 10) g;
  )");
  const auto result = db.audit({"type_json"});
  const auto& body = finding(result, "type_json", ident(schema) + ".docs.body");
  INFO(body.remediation);
  CHECK(body.message.find("trigger docs_body on ") != std::string::npos);
  CHECK(model::remediation_kind(body.remediation) == model::RemediationKind::advice);
  const auto& meta = finding(result, "type_json", ident(schema) + ".docs.meta");
  const auto fixed = run_fix_on_copy(db, meta);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
}

TEST_CASE("type_json: the undo makes the indexes whose expressions the fix rewrote for jsonb again as they were",
          "[checks][type_json][roundtrip]")
{
  // Harbor's task.extra_attrs: gin (((extra_attrs)::jsonb -> 'report_uuids')) became
  // gin ((extra_attrs -> 'report_uuids')) with the ALTER to jsonb, and the ALTER back to json failed
  // (json has no GIN operator class): the column could not go back
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    -- Concourse's builds.public_plan: a constant json default stayed typed json on the jsonb column
    create table $s.tasks(id bigint primary key, extra_attrs json default '{}'::json, status text);
    insert into $s.tasks select g, json_build_object('report_uuids', json_build_array(g)), 'done' from generate_series(1, 500) g;
    create index tasks_report_uuids on $s.tasks using gin (((extra_attrs)::jsonb -> 'report_uuids'));
    create index tasks_open on $s.tasks (id) where (extra_attrs ->> 'open') is not null;
    -- control: an index over another column stays as it is
    create index tasks_status on $s.tasks (status);
  )");
  const auto s = ident(schema);
  const auto& f = finding(db.audit({"type_json"}), "type_json", s + ".tasks.extra_attrs");
  CHECK(f.remediation.find("-- the expressions of " + s + ".tasks_open, " + s + ".tasks_report_uuids over it are rewritten for jsonb")
        != std::string::npos);
  CHECK(f.undo.find("drop index if exists " + s + ".tasks_report_uuids;") < f.undo.find(" type json using"));
  CHECK(f.message.find("no equality or GIN indexing of its own (" + s + ".tasks_open, " + s + ".tasks_report_uuids index it through "
                       "an expression)") != std::string::npos);
  // one index: "indexes it"
  ScratchDb one;
  one.plant(schema, R"(
    create table $s.tasks(id bigint primary key, extra_attrs json);
    create index tasks_report_uuids on $s.tasks using gin (((extra_attrs)::jsonb -> 'report_uuids'));
  )");
  CHECK(finding(one.audit({"type_json"}), "type_json", s + ".tasks.extra_attrs").message.find(
          "(" + s + ".tasks_report_uuids indexes it through an expression)") != std::string::npos);
  CHECK(f.undo.find("drop index if exists " + s + ".tasks_status;") == std::string::npos);

  const auto fixed = run_fix_on_copy(db, f);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(f));
  CHECK(fixed.copy->scalar(with_schema(schema, "select pg_get_expr(adbin, adrelid) from pg_attrdef where adrelid = '$s.tasks'::regclass")) ==
        "'{}'::jsonb");
  check_undo_gives_back(db, *fixed.copy, f.undo);
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.tasks where (extra_attrs)::jsonb -> 'report_uuids' @> '[7]'")) ==
        "1");
}
