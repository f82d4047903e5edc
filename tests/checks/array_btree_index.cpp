#include "checks/fix_round_trip.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("array_btree_index: a used B-tree on an array is swapped for GIN, a wide unique one is explained, an unused one is "
          "left to unused_index, and containment queries use the new index",
          "[checks][array_btree_index][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.docs(id bigint primary key, tags text[], codes int[], notes text[], title text);
    insert into $s.docs select g, array['t' || g % 50, 't' || g % 7], array[g, g + 1], array['n' || g], 'title ' || g
    from generate_series(1, 5000) g;
    create index docs_tags_idx on $s.docs(tags);
    create unique index docs_codes_key on $s.docs(codes);
    create index docs_notes_idx on $s.docs(notes);
    create index docs_title_idx on $s.docs(title);
    create table $s.pages(id bigint primary key, words text[]);
    insert into $s.pages select g, array(select 'word ' || g || ' ' || w from generate_series(1, 90) w) from generate_series(1, 300) g;
    create index pages_words_idx on $s.pages(words);
    -- two wide arrays in one unique index: one finding, the widest read
    create unique index pages_words_pair_key on $s.pages(id, words, words);
    -- MusicBrainz's sort index, small arrays among other columns: a design, nothing to act on
    create table $s.releases(artist bigint, types smallint[], orders smallint[], name text);
    insert into $s.releases select g % 100, array[g % 3]::smallint[], array[1, 2]::smallint[], 'r' || g from generate_series(1, 3000) g;
    create index releases_sort_idx on $s.releases(artist, orders, types, name);
    analyze $s.releases;
    analyze $s.docs;
    analyze $s.pages;
  )");
  db.exec_with_stats(with_schema(schema, "set enable_seqscan = off; select count(*) from $s.docs where tags = '{t1,t1}';"
                                         "select count(*) from $s.docs where title = 'title 1';"
                                         "select count(*) from $s.pages where words = '{a}';"
                                         "select count(*) from $s.releases where artist = 1;"
                                         "select count(*) from $s.pages where id = 1 and words = '{a}'"));
  // with unused_index, which takes the never-scanned one: one entry per object (its counters judged
  // as covering stats_min_age_days: on this new cluster they would not be evidence enough)
  const auto result = db.audit({"array_btree_index", "unused_index"}, trusting_config());
  const auto s = ident(schema);
  CHECK(findings_of(result, "array_btree_index").size() == 3);
  CHECK_FALSE(has_finding(result, "array_btree_index", s + ".releases_sort_idx"));
  CHECK_FALSE(has_finding(result, "array_btree_index", s + ".docs_codes_key")); // unique over small arrays: a design
  const auto& pair = finding(result, "array_btree_index", s + ".pages_words_pair_key");
  CHECK(pair.severity == model::Severity::medium);
  CHECK(pair.remediation.find("create") == std::string::npos); // unique: explained, not swapped
  // about 1,300 bytes an array: near the B-tree entry limit
  const auto& words = finding(result, "array_btree_index", s + ".pages_words_idx");
  CHECK(words.severity == model::Severity::medium);
  CHECK(words.evidence["avg_width"].get<int>() >= 1000);
  const auto& tags = finding(result, "array_btree_index", s + ".docs_tags_idx");
  CHECK(tags.severity == model::Severity::low);
  CHECK(tags.remediation.find("using gin (tags)") != std::string::npos);
  CHECK_FALSE(has_finding(result, "array_btree_index", s + ".docs_notes_idx")); // never scanned: unused_index's
  CHECK(has_finding(result, "unused_index", s + ".docs_notes_idx"));
  CHECK(finding(result, "unused_index", s + ".docs_notes_idx").evidence.contains("array_btree_index"));
  // Not enough evidence yet for unused_index (its advice runs nothing): the GIN rebuild is the entry,
  // with the usage evidence in it (Danbooru)
  const auto young = db.audit({"array_btree_index", "unused_index"});
  CHECK_FALSE(has_finding(young, "unused_index", s + ".docs_notes_idx"));
  CHECK(finding(young, "array_btree_index", s + ".docs_notes_idx").evidence.contains("unused_index"));
  CHECK_FALSE(has_finding(result, "array_btree_index", s + ".docs_title_idx"));

  const auto fixed = check_every_fix_runs(db, {tags}, {"array_btree_index"});
  CHECK(fixed.copy->scalar(with_schema(schema, "select to_regclass('$s.docs_tags_idx') is null")) == "t");
  const auto plan = fixed.copy->scalar(
    with_schema(schema, "explain (costs off, format json) select id from $s.docs where tags @> '{t3}'"));
  CHECK(plan.value_or("").find("docs_tags_idx_gin") != std::string::npos);
}

TEST_CASE("array_btree_index: an inheritance parent's index is judged by the parent's own rows, not its children's",
          "[checks][array_btree_index]")
{
  ScratchDb db;
  // ANALYZE of an inheritance parent writes two rows of pg_stats per column: its own rows and,
  // inherited, those of its children. The check read avg_width with a scalar subquery, which then
  // failed ("more than one row returned by a subquery").
  db.plant(k_public_schema, R"(
    create table $s.events(id bigint, labels text[]);
    create table $s.events_2025() inherits ($s.events);
    insert into $s.events select g, array['l' || g % 9] from generate_series(1, 2000) g;
    insert into $s.events_2025 select g, array(select 'long label ' || g || ' ' || w from generate_series(1, 60) w)
    from generate_series(1, 300) g;
    create index events_labels_idx on $s.events(labels);
    analyze $s.events;
    analyze $s.events_2025;
  )");
  db.exec_with_stats("set enable_seqscan = off; select count(*) from public.events where labels = '{l1}'");
  const auto result = db.audit({"array_btree_index"});
  CHECK(result.skipped.empty());
  const auto& f = finding(result, "array_btree_index", "public.events_labels_idx");
  CHECK(f.evidence["avg_width"].get<int>() < 100); // the parent's short arrays, not the children's long ones
  CHECK(f.severity == model::Severity::low);
}
