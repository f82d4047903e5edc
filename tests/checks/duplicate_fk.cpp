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
