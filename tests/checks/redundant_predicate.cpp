#include "checks/fix_round_trip.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("redundant_predicate: a partial index that only repeats NOT NULL is rebuilt whole under its name, and the "
          "planner can then use it for an ORDER BY",
          "[checks][redundant_predicate][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key, customer_id bigint not null, "Region" text not null, note text, total int not null);
    insert into $s.orders select g, g % 500, 'r' || (g % 7), null, g from generate_series(1, 20000) g;
    create index orders_customer_idx on $s.orders(customer_id) where customer_id is not null;
    create unique index orders_id_region_key on $s.orders(id, "Region") where id is not null and "Region" is not null;
    create index orders_note_idx on $s.orders(note) where note is not null;
    create index orders_big_idx on $s.orders(total) where total > 100;
    create index orders_id_idx on $s.orders(id) where id is not null;
    analyze $s.orders;
  )");
  const auto result = db.audit({"redundant_predicate"});
  const auto s = ident(schema);
  CHECK(findings_of(result, "redundant_predicate").size() == 3);
  // the primary key already is its whole twin: the partial one is dropped, nothing is built
  const auto& twin = finding(result, "redundant_predicate", s + ".orders_id_idx");
  CHECK(twin.evidence["whole_twin"] == s + ".orders_pkey");
  CHECK(twin.remediation.find("create") == std::string::npos);
  // one entry per decision: the index checks leave it to this one
  const auto others = db.audit({"duplicate_index", "redundant_index", "unused_index"});
  CHECK_FALSE(has_finding(others, "duplicate_index", s + ".orders_id_idx"));
  CHECK_FALSE(has_finding(others, "redundant_index", s + ".orders_id_idx"));
  CHECK_FALSE(has_finding(others, "unused_index", s + ".orders_id_idx"));
  const auto& f = finding(result, "redundant_predicate", s + ".orders_customer_idx");
  CHECK(f.evidence["not_null_columns"] == nlohmann::json{"customer_id"});
  CHECK(finding(result, "redundant_predicate", s + ".orders_id_region_key").evidence["unique"] == true);
  CHECK_FALSE(has_finding(result, "redundant_predicate", s + ".orders_note_idx")); // note may be NULL
  CHECK_FALSE(has_finding(result, "redundant_predicate", s + ".orders_big_idx"));  // a real filter

  const auto plan = with_schema(schema, "explain (costs off, format json) select customer_id from $s.orders order by customer_id limit 5");
  const auto uses_index = [](const std::optional<std::string>& p) {
    return p && p->find("orders_customer_idx") != std::string::npos;
  };
  CHECK_FALSE(uses_index(db.scalar(plan)));
  const auto fixed = check_every_fix_runs(db, findings_of(result, "redundant_predicate"), {"redundant_predicate"});
  CHECK(fixed.copy->scalar(with_schema(schema, "select indpred is null from pg_index where indexrelid = '$s.orders_customer_idx'::regclass")) == "t");
  CHECK(fixed.copy->scalar(with_schema(schema, "select indisunique from pg_index where indexrelid = '$s.orders_id_region_key'::regclass")) == "t");
  CHECK(uses_index(fixed.copy->scalar(plan)));
  CHECK(fixed.copy->scalar(with_schema(schema, "select to_regclass('$s.orders_id_idx') is null")) == "t");
  CHECK(fixed.copy->audit({"duplicate_index", "redundant_index"}).findings.empty());

  // The undo swaps the partial index back under its own name (MusicBrainz's artist name index):
  // one index, partial again, no second unique one left beside it.
  const auto region_key = finding(result, "redundant_predicate", s + ".orders_id_region_key");
  const auto indexes = with_schema(schema, "select string_agg(indexrelid::regclass::text || ' ' || (indpred is not null), ', ' "
                                           "order by indexrelid::regclass::text) from pg_index where indrelid = '$s.orders'::regclass");
  const auto before = db.scalar(indexes);
  const auto round_trip = run_fix_on_copy(db, region_key);
  CHECK(round_trip.problems().empty());
  const auto undone = run_psql_script(*round_trip.copy, region_key.undo);
  CHECK(undone.errors().empty());
  CHECK(round_trip.copy->scalar(indexes) == before);
  // An undo after a fix that stopped before its swap drops the whole index it left, and keeps the partial one.
  const auto stopped = run_fix_on_copy(db, region_key.remediation.substr(0, region_key.remediation.find("-- 2. swap")));
  CHECK(run_psql_script(*stopped.copy, region_key.undo).errors().empty());
  CHECK(stopped.copy->scalar(indexes) == before);
}

TEST_CASE("redundant_predicate: a partial index whose keys lead a whole one is dropped, not rebuilt", "[checks][redundant_predicate][roundtrip]")
{
  // Danbooru: posts (uploader_id) where uploader_id is not null beside (uploader_id, created_at): the
  // rebuilt whole index was reported by redundant_index on the next audit
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.posts(id bigint primary key, uploader_id integer not null, approver_id integer not null,
                          created_at timestamptz not null);
    create index posts_uploader_idx on $s.posts(uploader_id) where uploader_id is not null;
    create index posts_uploader_created_idx on $s.posts(uploader_id, created_at);
    -- control: the wider index orders its first key the other way, so it is no left prefix
    create index posts_approver_idx on $s.posts(approver_id) where approver_id is not null;
    create index posts_approver_created_idx on $s.posts(approver_id desc, created_at);
    insert into $s.posts select g, g % 100, g % 50, now() from generate_series(1, 1000) g;
    analyze $s.posts;
  )");
  const std::vector<std::string> checks{"redundant_predicate", "redundant_index", "duplicate_index"};
  const auto result = db.audit(checks);
  const auto s = ident(schema);
  const auto uploader = finding(result, "redundant_predicate", s + ".posts_uploader_idx");
  INFO(uploader.remediation);
  CHECK(uploader.evidence["wider_index"] == s + ".posts_uploader_created_idx");
  CHECK(uploader.remediation.find("create index") == std::string::npos);
  const auto approver = finding(result, "redundant_predicate", s + ".posts_approver_idx");
  CHECK(approver.evidence["wider_index"].is_null());
  CHECK(approver.remediation.find("create index concurrently") != std::string::npos);

  const auto indexes = with_schema(schema, "select string_agg(indexrelid::regclass::text || ' ' || (indpred is not null), ', ' "
                                           "order by indexrelid::regclass::text) from pg_index where indrelid = '$s.posts'::regclass");
  const auto fixed = run_fix_on_copy(db, uploader);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK(fixed.copy->scalar(with_schema(schema, "select to_regclass('$s.posts_uploader_idx') is null")) == "t");
  const auto again = fixed.copy->audit(checks);
  CHECK(findings_of(again, "redundant_index").empty());
  CHECK_FALSE(has_finding(again, "redundant_predicate", uploader.object));
  const auto undone = run_psql_script(*fixed.copy, uploader.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(fixed.copy->scalar(indexes) == db.scalar(indexes));
}
