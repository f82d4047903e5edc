#include "support/previous_snapshot.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

void
plant_deprecations(const ScratchDb& db, const std::string& schema)
{
  db.plant(schema, R"(
    create table $s.users(id int primary key, email text, deprecated_email text, dropped_x int,
                          not_deprecated_flag bool, "deprecated_O'Neil" int);
    create index deprecated_users_email_idx on $s.users(email);
    create index users_email_idx on $s.users(email);
    create table $s.deprecated_sessions(id int, deprecated_token text);
    -- controls: the indexes of a deprecated table go with its drop; no findings of their own
    alter table $s.deprecated_sessions add constraint deprecated_sessions_pkey primary key (id);
    create index deprecated_sessions_deprecated_token_idx on $s.deprecated_sessions(deprecated_token);
    -- views, materialized views and sequences renamed by expand-contract (unused_table renames
    -- materialized views; unused_sequence renames sequences)
    create view $s.deprecated_active_users as select id, email from $s.users where email is not null;
    create materialized view $s.deprecated_user_counts as select count(*) as n from $s.users;
    create unique index deprecated_user_counts_n_idx on $s.deprecated_user_counts(n);
    create sequence $s.deprecated_ticket_seq as int increment by 5 start with 100;
    select nextval('$s.deprecated_ticket_seq');
    -- control: a sequence its column owns goes with the column
    create sequence $s.deprecated_owned_seq owned by $s.users.id;
  )");
}

} // namespace

TEST_CASE("deprecated_object: finds objects named by the deprecation patterns", "[checks][deprecated_object]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_deprecations(db, schema);

  const auto result = db.audit({"deprecated_object"});
  const auto& column = finding(result, "deprecated_object", ident(schema) + ".users.deprecated_email");
  CHECK(column.category == "deprecated_object");
  CHECK(column.object_type == "column");
  CHECK(column.severity == model::Severity::info);
  CHECK(column.message.find("matches deprecated_*") != std::string::npos);
  CHECK(column.message.find("(0 day(s) ago): 30 day(s) left of the grace period of 30") != std::string::npos);
  CHECK(column.evidence.at("age_days") == 0);
  CHECK(column.evidence.at("ready_to_drop") == false);
  CHECK(column.evidence.at("days_left") == 30);
  CHECK(column.remediation.rfind("-- ready to drop on ", 0) == 0);
  CHECK(column.remediation.find("\n-- alter table " + ident(schema) + ".users drop column if exists deprecated_email;")
        != std::string::npos);

  CHECK(finding(result, "deprecated_object", ident(schema) + ".users.dropped_x").evidence.at("pattern") == "dropped_*");
  CHECK(finding(result, "deprecated_object", ident(schema) + ".deprecated_users_email_idx").object_type == "index");
  CHECK(finding(result, "deprecated_object", ident(schema) + ".deprecated_sessions").object_type == "table");
  CHECK(has_finding(result, "deprecated_object", ident(schema) + ".users.\"deprecated_O'Neil\""));

  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".users.not_deprecated_flag")); // anchored
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".users_email_idx"));
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".users.email"));
  // The table's own drop covers its columns.
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".deprecated_sessions.deprecated_token"));
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".deprecated_sessions_pkey"));
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".deprecated_sessions_deprecated_token_idx"));
  CHECK(finding(result, "deprecated_object", ident(schema) + ".deprecated_active_users").object_type == "view");
  CHECK(finding(result, "deprecated_object", ident(schema) + ".deprecated_user_counts").object_type == "materialized view");
  CHECK(finding(result, "deprecated_object", ident(schema) + ".deprecated_ticket_seq").object_type == "sequence");
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".deprecated_owned_seq"));
  // A materialized view's own index goes with it.
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".deprecated_user_counts_n_idx"));
  CHECK(findings_of(result, "deprecated_object").size() == 8);
}

TEST_CASE("deprecated_object: ready to drop once the grace period is over", "[checks][deprecated_object]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_deprecations(db, schema);

  // The first audit sees them all; the history remembers when.
  const auto first = db.audit({"deprecated_object"});
  auto previous = previous_from(first);
  const auto& column = finding(first, "deprecated_object", ident(schema) + ".users.deprecated_email");
  const auto& index = finding(first, "deprecated_object", ident(schema) + ".deprecated_users_email_idx");
  previous.first_seen.set(column.fingerprint, first.taken_at - 40 * k_day_seconds);
  previous.first_seen.set(index.fingerprint, first.taken_at - 31 * k_day_seconds);
  previous.first_seen.erase(finding(first, "deprecated_object", ident(schema) + ".deprecated_sessions").fingerprint);

  const auto result = db.audit({"deprecated_object"}, audit::default_config(), previous);
  const auto& ready = finding(result, "deprecated_object", ident(schema) + ".users.deprecated_email");
  CHECK(ready.severity == model::Severity::low);
  CHECK(ready.evidence.at("ready_to_drop") == true);
  CHECK(ready.evidence.at("age_days").get<int>() >= 40);
  CHECK(ready.message.find("the grace period of 30 day(s) is over, ready to drop") != std::string::npos);
  CHECK(ready.remediation == "set lock_timeout = '5s';\nalter table " + ident(schema)
                               + ".users drop column if exists deprecated_email;");

  const auto& index_ready = finding(result, "deprecated_object", ident(schema) + ".deprecated_users_email_idx");
  CHECK(index_ready.remediation == "set lock_timeout = '5s';\ndrop index concurrently if exists " + ident(schema)
                                     + ".deprecated_users_email_idx;");
  // Undo: an index is recreated from its definition; a dropped column needs a backup.
  CHECK(index_ready.undo.find("create index concurrently if not exists deprecated_users_email_idx ON " + ident(schema) + ".users") !=
        std::string::npos);
  CHECK(ready.undo.find("cannot be brought back without a backup") != std::string::npos);

  // Not seen before: first seen now.
  const auto& fresh = finding(result, "deprecated_object", ident(schema) + ".deprecated_sessions");
  CHECK(fresh.severity == model::Severity::info);
  CHECK(fresh.evidence.at("ready_to_drop") == false);
  CHECK(fresh.evidence.at("age_days") == 0);

  // A longer grace period, from the config, puts the column back in waiting.
  auto config = audit::default_config();
  config.globals["grace_days"] = "60";
  const auto patient = db.audit({"deprecated_object"}, config, previous);
  const auto& waiting = finding(patient, "deprecated_object", ident(schema) + ".users.deprecated_email");
  CHECK(waiting.evidence.at("ready_to_drop") == false);
  CHECK(waiting.evidence.at("days_left").get<int>() <= 20);
}

TEST_CASE("deprecated_object: a view, a materialized view and a sequence past the grace period are dropped, and the "
          "undo brings each back as it was",
          "[checks][deprecated_object][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_deprecations(db, schema);
  const auto first = db.audit({"deprecated_object"});
  auto previous = previous_from(first);
  for (const auto& f : first.findings) {
    previous.first_seen.set(f.fingerprint, first.taken_at - 40 * k_day_seconds);
  }
  const auto result = db.audit({"deprecated_object"}, audit::default_config(), previous);
  const auto s = ident(schema);
  const auto rows = with_schema(schema, "select (select count(*) from $s.deprecated_active_users) || '/' || "
                                        "(select n from $s.deprecated_user_counts) || '/' || "
                                        "(select count(*) from pg_indexes where indexname = 'deprecated_user_counts_n_idx')");
  const auto before = db.scalar(rows);
  const auto next_value = with_schema(schema, "select nextval('$s.deprecated_ticket_seq')");
  for (const auto* name : {".deprecated_active_users", ".deprecated_user_counts", ".deprecated_ticket_seq"}) {
    const auto& f = finding(result, "deprecated_object", s + name);
    INFO(f.remediation << "\n" << f.undo);
    REQUIRE(f.evidence.at("ready_to_drop") == true);
    const auto drop = run_psql_script(db.conninfo(), f.remediation);
    INFO(drop.output);
    CHECK(drop.errors().empty());
    CHECK(db.scalar(with_schema(schema, std::string("select count(*) from pg_class where oid = to_regclass('$s") + name + "')")) == "0");
    const auto undo = run_psql_script(db.conninfo(), f.undo);
    INFO(undo.output);
    CHECK(undo.errors().empty());
  }
  // Back with its rows, its index, and the sequence where it was: 100, then 105 taken at the plant.
  CHECK(db.scalar(rows) == before);
  CHECK(db.scalar(next_value) == "105");
}

TEST_CASE("deprecated_object: the patterns come from the config", "[checks][deprecated_object]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.items(id int, old_price int, "old.x" int, oldyprice int, deprecated_y int);
  )");
  auto config = audit::default_config();
  config.globals["deprecation_patterns"] = util::pg_array_literal({"old_*", "old.?"});
  const auto result = db.audit({"deprecated_object"}, config);
  CHECK(has_finding(result, "deprecated_object", ident(schema) + ".items.old_price"));
  CHECK(has_finding(result, "deprecated_object", ident(schema) + ".items.\"old.x\""));
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".items.oldyprice")); // "." is literal
  CHECK_FALSE(has_finding(result, "deprecated_object", ident(schema) + ".items.deprecated_y"));
  CHECK(findings_of(result, "deprecated_object").size() == 2);
}
