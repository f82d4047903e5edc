#include "checks/fix_round_trip.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("duplicate_fk: a foreign key declared twice is dropped while its validated twin stays, and one with other "
          "actions is no duplicate",
          "[checks][duplicate_fk][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id bigint primary key);
    insert into $s.users select g from generate_series(1, 20) g;
    create table $s.posts(id bigint primary key, user_id bigint);
    insert into $s.posts select g, 1 + g % 20 from generate_series(1, 200) g;
    alter table $s.posts add constraint posts_user_fk foreign key (user_id) references $s.users(id);
    alter table $s.posts add constraint posts_user_id_fkey foreign key (user_id) references $s.users(id);
    create table $s.comments(id bigint primary key, user_id bigint);
    alter table $s.comments add constraint comments_user_fk foreign key (user_id) references $s.users(id);
    alter table $s.comments add constraint comments_user_cascade_fk foreign key (user_id) references $s.users(id) on delete cascade;
  )");
  const auto result = db.audit({"duplicate_fk"});
  const auto s = ident(schema);
  REQUIRE(findings_of(result, "duplicate_fk").size() == 1);
  const auto& f = finding(result, "duplicate_fk", s + ".posts.posts_user_id_fkey");
  CHECK(f.evidence["kept"] == "posts_user_fk");
  CHECK(f.severity == model::Severity::low);

  const auto fixed = check_every_fix_runs(db, {f}, {"duplicate_fk"});
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from pg_constraint where conrelid = '$s.posts'::regclass "
                                               "and contype = 'f'")) == "1");
  CHECK_THROWS(fixed.copy->exec(with_schema(schema, "insert into $s.posts values (1000, 999)")));

  // The twin dropped since the audit: the guard keeps this one.
  const auto stopped = check_fix_stops(db, f, with_schema(schema, "alter table $s.posts drop constraint posts_user_fk"),
                                       {"posts_user_id_fkey: its twin posts_user_fk is gone or not validated"});
  CHECK(stopped.still_reported(f) == false); // one key left: no pair, and it is enforced
  CHECK(stopped.copy->scalar(with_schema(schema, "select count(*) from pg_constraint where conrelid = '$s.posts'::regclass "
                                                 "and contype = 'f'")) == "1");

  // The undo puts it back, validated.
  CHECK(run_psql_script(*fixed.copy, f.undo).errors().empty());
  CHECK(has_finding(fixed.copy->audit({"duplicate_fk"}), "duplicate_fk", f.object));
}

TEST_CASE("duplicate_fk: a key that a validated wider key implies is dropped while the wider one stays",
          "[checks][duplicate_fk][roundtrip]")
{
  // Logto's organization_user_relations: (user_id) -> users(id) beside (tenant_id, user_id) ->
  // users(tenant_id, id), same actions: fk_without_index asked for an index on (user_id) alone.
  // Controls: the wider key's tenant nullable (it checks no row whose tenant is NULL), other actions
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(tenant_id text not null, id text primary key, unique (tenant_id, id));
    insert into $s.users select 't' || (g % 3), 'u' || g from generate_series(1, 300) g;
    create table $s.org_users(tenant_id text not null, org_id text not null,
      user_id text not null references $s.users(id) on delete cascade,
      primary key (tenant_id, org_id, user_id),
      foreign key (tenant_id, user_id) references $s.users(tenant_id, id) on delete cascade);
    insert into $s.org_users select 't' || (g % 3), 'o1', 'u' || g from generate_series(1, 300) g;
    create table $s.loose(tenant_id text, user_id text references $s.users(id),
      foreign key (tenant_id, user_id) references $s.users(tenant_id, id));
    create table $s.other_actions(tenant_id text not null, user_id text references $s.users(id) on delete cascade,
      foreign key (tenant_id, user_id) references $s.users(tenant_id, id));
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"duplicate_fk", "fk_without_index"});
  const auto& f = finding(result, "duplicate_fk", s + ".org_users.org_users_user_id_fkey");
  INFO(f.message);
  CHECK(f.evidence.at("kept") == "org_users_tenant_id_user_id_fkey");
  CHECK(f.message.find("is implied by org_users_tenant_id_user_id_fkey") != std::string::npos);
  // one entry: the missing index of the key the drop removes is moot
  CHECK_FALSE(has_finding(result, "fk_without_index", s + ".org_users.org_users_user_id_fkey"));
  CHECK_FALSE(has_finding(result, "duplicate_fk", s + ".loose.loose_user_id_fkey"));
  CHECK_FALSE(has_finding(result, "duplicate_fk", s + ".other_actions.other_actions_user_id_fkey"));

  const auto fixed = check_every_fix_runs(db, {f}, {"duplicate_fk"});
  // a user's delete still cascades, and a row of another tenant's user is still refused
  fixed.copy->exec(with_schema(schema, "delete from $s.users where id = 'u3'"));
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.org_users where user_id = 'u3'")) == "0");
  CHECK_THROWS(fixed.copy->exec(with_schema(schema, "insert into $s.org_users values ('t0', 'o2', 'u1')")));
  CHECK(run_psql_script(*fixed.copy, f.undo).errors().empty());
}
