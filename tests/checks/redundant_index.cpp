#include "checks/fix_round_trip.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("redundant_index: flags a left prefix of a wider index of the same kind", "[checks][redundant_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.events(id int primary key, account_id int, kind int, at timestamptz, payload text);
    insert into $s.events select g, g % 10, g % 3, now(), 'p' || g from generate_series(1, 500) g;
    create index events_account_kind_at on $s.events(account_id, kind, at);
    -- planted: one and two leading columns of events_account_kind_at
    create index events_account on $s.events(account_id);
    create index events_account_kind on $s.events(account_id, kind);
    -- controls: not a prefix, other sort order, unique, other predicate, other method,
    -- INCLUDE columns (an expression's prefix is flagged too: the last test case)
    create index events_kind on $s.events(kind);
    create index events_account_desc on $s.events(account_id desc);
    create unique index events_id_account on $s.events(id, account_id);
    create index events_account_recent on $s.events(account_id) where kind = 1;
    create index events_account_hash on $s.events using hash(account_id);
    create index events_lower on $s.events(lower(payload));
    create index events_lower_kind on $s.events(lower(payload), kind);
    create index events_account_incl on $s.events(account_id) include (payload);
  )");

  const auto result = db.audit({"redundant_index"});
  const auto& f = finding(result, "redundant_index", ident(schema) + ".events_account");
  CHECK(f.category == "redundant_index");
  // Severity from size, as duplicate_index: a prefix of a few pages is low; from min_size_bytes,
  // medium (listmonk's 4.4 MB prefix on a written table was low).
  CHECK(f.severity == model::Severity::low);
  auto config = audit::default_config();
  config.checks["redundant_index"].params["min_size_bytes"] = "0";
  CHECK(finding(db.audit({"redundant_index"}, config), "redundant_index", ident(schema) + ".events_account").severity ==
        model::Severity::medium);
  // The widest index is named, for both findings of the chain (Umami: the middle one named as the
  // cover was dropped by the fix before, and the next fix refused).
  CHECK(f.evidence.at("wider_index") == "events_account_kind_at");
  CHECK(f.message.find("is a left prefix of events_account_kind_at") != std::string::npos);
  CHECK(f.remediation.find("-- covered by events_account_kind_at; to recreate it: CREATE INDEX events_account ON "
                           + ident(schema) + ".events USING btree (account_id);") != std::string::npos);
  // Dropped only while a wider index is there and valid, whatever its name.
  CHECK(f.remediation.find("x.indkey::text like d.indkey::text || ' %'") != std::string::npos);
  CHECK(f.remediation.find("  drop index if exists " + ident(schema) + ".events_account;\nend $$;") != std::string::npos);
  const auto& middle = finding(result, "redundant_index", ident(schema) + ".events_account_kind");
  CHECK(middle.evidence.at("wider_index") == "events_account_kind_at");
  // the entry's fixes in its order on one copy, the middle one first: both run, the widest stays
  ScratchDb copy(db.name());
  for (const auto* step : {&middle, &f}) {
    const auto run = run_psql_script(copy, step->remediation);
    INFO(run.output);
    CHECK(run.errors().empty());
  }
  CHECK(copy.scalar(with_schema(schema, "select string_agg(relname, ',' order by relname) from pg_class where relname in "
                                        "('events_account', 'events_account_kind', 'events_account_kind_at')")) ==
        "events_account_kind_at");

  for (const auto* control : {"events_account_kind_at", "events_kind", "events_account_desc", "events_pkey",
                              "events_account_recent", "events_account_hash", "events_account_incl"}) {
    CHECK_FALSE(has_finding(result, "redundant_index", ident(schema) + "." + control));
  }
  CHECK(has_finding(result, "redundant_index", ident(schema) + ".events_lower"));
  CHECK(findings_of(result, "redundant_index").size() == 3);
}

TEST_CASE("redundant_index: the drop's guard finds the wider index by its definition once renamed, and stops without it",
          "[checks][redundant_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.campaign_media(campaign_id int not null, media_id int not null);
    create unique index "campaign media uq" on $s.campaign_media(campaign_id, media_id);
    create index campaign_media_campaign on $s.campaign_media(campaign_id);
    insert into $s.campaign_media select g, g from generate_series(1, 200) g;
  )");
  const auto& f = finding(db.audit({"redundant_index"}), "redundant_index", ident(schema) + ".campaign_media_campaign");
  // the message names the wider index as SQL does
  CHECK(f.message.find("is a left prefix of \"campaign media uq\": the wider index") != std::string::npos);
  CHECK(f.message.find("after checking that \"campaign media uq\" stays") != std::string::npos);
  CHECK(f.remediation.find("-- covered by \"campaign media uq\"; to recreate it:") != std::string::npos);
  // the wider index became a primary key first (no_primary_key's fix renames it)
  const auto renamed = run_fix_on_copy(db, f, with_schema(schema, "alter table $s.campaign_media add constraint campaign_media_pkey "
                                                                  "primary key using index \"campaign media uq\""));
  INFO(renamed.run.output);
  CHECK(renamed.problems().empty());
  CHECK(renamed.copy->scalar(with_schema(schema, "select count(*) from pg_index where indrelid = '$s.campaign_media'::regclass")) == "1");
  // gone: the guard stops, and the index stays
  const auto gone = run_fix_on_copy(db, f, with_schema(schema, "drop index $s.\"campaign media uq\""));
  REQUIRE(gone.run.errors().size() == 1);
  CHECK(gone.run.errors()[0].find("is missing or invalid: keep") != std::string::npos);
  CHECK(gone.copy->scalar(with_schema(schema, "select count(*) from pg_index where indrelid = '$s.campaign_media'::regclass")) == "1");
}

TEST_CASE("redundant_index: a left prefix with an expression among its keys, compared key by key",
          "[checks][redundant_index]")
{
  // Lemmy's post: (featured_local desc, coalesce(newest_comment_time_at, published_at) desc, id desc),
  // 8 MB, beside the same keys with community_id after them
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.post(id bigint primary key, featured boolean not null, newest_at timestamptz,
                         published_at timestamptz not null, community_id bigint not null, score int not null);
    create index post_feat_newest on $s.post(featured desc, coalesce(newest_at, published_at) desc, id desc);
    create index post_feat_newest_comm on $s.post(featured desc, coalesce(newest_at, published_at) desc, id desc, community_id);
    -- control: another expression in the same place
    create index post_feat_published on $s.post(featured desc, coalesce(published_at, newest_at) desc, id desc);
    -- control: the expression a prefix of one that differs
    create index post_lower on $s.post(lower(score::text));
    create index post_upper_comm on $s.post(upper(score::text), community_id);
    insert into $s.post select g, g % 10 = 0, now(), now(), g % 50, g from generate_series(1, 500) g;
  )");
  const auto result = db.audit({"redundant_index"});
  const auto s = ident(schema);
  const auto& f = finding(result, "redundant_index", s + ".post_feat_newest");
  CHECK(f.evidence["wider_index"] == "post_feat_newest_comm");
  CHECK_FALSE(has_finding(result, "redundant_index", s + ".post_feat_published"));
  CHECK_FALSE(has_finding(result, "redundant_index", s + ".post_lower"));
  CHECK(findings_of(result, "redundant_index").size() == 1);
  // the fix drops it while the wider one is there; with only a look-alike left, the guard stops
  const auto fixed = check_every_fix_runs(db, {f}, {"redundant_index"});
  CHECK_FALSE(fixed.copy->scalar(with_schema(schema, "select to_regclass('$s.post_feat_newest')")).has_value());
  const auto gone = run_fix_on_copy(db, f, with_schema(schema, "drop index $s.post_feat_newest_comm"));
  REQUIRE(gone.run.errors().size() == 1);
  CHECK(gone.run.errors()[0].find("is missing or invalid: keep") != std::string::npos);
}
