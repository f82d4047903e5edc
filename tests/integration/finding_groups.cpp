// One decision, one entry: findings of one check that share a cause carry one group id, and the
// outputs show them as one entry. Each kind of group has a control that must stay an entry of
// its own.
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace test;

namespace {

void
plant_groups(const ScratchDb& db)
{
  db.exec(R"(
    -- one migration run in three tenant schemas; and a table of its own (the control)
    create schema t1; create schema t2; create schema t3;
    create table t1.notes(id int, body text);
    create table t2.notes(id int, body text);
    create table t3.notes(id int, body text);
    -- tables of some size (an empty or tiny one's missing key is low)
    insert into t1.notes select g, 'a' from generate_series(1, 1000) g;
    insert into t2.notes select g, 'a' from generate_series(1, 1000) g;
    insert into t3.notes select g, 'a' from generate_series(1, 1000) g;
    create table public.lonely(id int);
    -- a framework default on every table: one design choice
    create table public.users(id bigint primary key, created_at timestamp, updated_at timestamp);
    create table public.posts(id bigint primary key, created_at timestamp);
    -- a partitioned table read by large sequential scans, partition by partition; and a plain
    -- table read the same way (the control)
    create table public.pevents(id bigint, account int, at date not null) partition by range (at);
    create table public.pevents_2026_01 partition of public.pevents for values from ('2026-01-01') to ('2026-02-01');
    create table public.pevents_2026_02 partition of public.pevents for values from ('2026-02-01') to ('2026-03-01');
    insert into public.pevents select g, g % 100, date '2026-01-01' + (g % 59) from generate_series(1, 30000) g;
    create table public.scans(id bigint, account int);
    insert into public.scans select g, g % 100 from generate_series(1, 20000) g;
    analyze;
  )");
  db.exec_with_stats(R"(
    do $$
    begin
      for i in 1..60 loop
        perform count(*) from public.pevents where account = i;
        perform count(*) from public.scans where account = i;
      end loop;
    end
    $$;
  )");
}

const std::string&
group_of(const model::AuditResult& result, const std::string& check_id, const std::string& object)
{
  return finding(result, check_id, object).group_id;
}

} // namespace

TEST_CASE("groups: one name in many schemas, a design-wide choice and a table's partitions are one entry each",
          "[integration][groups]")
{
  ScratchDb db;
  plant_groups(db);
  const std::vector<std::string> checks{"no_primary_key", "type_timestamp_no_tz", "missing_index"};
  const auto result = db.audit(checks);

  // tenant schemas
  const auto& notes = group_of(result, "no_primary_key", "t1.notes");
  CHECK_FALSE(notes.empty());
  CHECK(group_of(result, "no_primary_key", "t2.notes") == notes);
  CHECK(group_of(result, "no_primary_key", "t3.notes") == notes);
  CHECK(group_of(result, "no_primary_key", "public.lonely") != notes);

  // one check, one decision (-- group: check)
  const auto& timestamps = group_of(result, "type_timestamp_no_tz", "public.users.created_at");
  CHECK(group_of(result, "type_timestamp_no_tz", "public.users.updated_at") == timestamps);
  CHECK(group_of(result, "type_timestamp_no_tz", "public.posts.created_at") == timestamps);

  // partitions under their root; the plain table apart
  const auto& partitions = group_of(result, "missing_index", "public.pevents_2026_01");
  CHECK(group_of(result, "missing_index", "public.pevents_2026_02") == partitions);
  CHECK(group_of(result, "missing_index", "public.scans") != partitions);

  // no two checks share an id, and the ids hold from one audit to the next
  CHECK(partitions != timestamps);
  const auto again = db.audit(checks);
  CHECK(group_of(again, "no_primary_key", "t2.notes") == notes);
  CHECK(group_of(again, "missing_index", "public.pevents_2026_02") == partitions);
  CHECK(group_of(again, "type_timestamp_no_tz", "public.posts.created_at") == timestamps);
}

TEST_CASE("groups: the low findings a check gives one cause (the alias entry) are one entry, its medium ones one each",
          "[integration][groups]")
{
  // Coder's schema loaded without its data: 11 tables without a key, 11 low entries
  ScratchDb db;
  db.exec(R"(
    create table public.empty_a(name text, at timestamptz);
    create table public.empty_b(name text, at timestamptz);
    create table public.named_a(code text not null, v int);
    create unique index named_a_code on public.named_a(code);
    create table public.named_b(code text not null, v int);
    create unique index named_b_code on public.named_b(code);
    create table public.loaded_a(name text, v int);
    create table public.loaded_b(name text, v int);
    insert into public.named_a select 'c' || g, g from generate_series(1, 2000) g;
    insert into public.named_b select 'c' || g, g from generate_series(1, 2000) g;
    insert into public.loaded_a select 'n' || g, g from generate_series(1, 2000) g;
    insert into public.loaded_b select 'n' || g, g from generate_series(1, 2000) g;
    analyze;
  )");
  const auto result = db.audit({"no_primary_key"});
  for (const auto* table : {"public.empty_a", "public.named_a", "public.empty_b", "public.named_b"}) {
    CHECK(finding(result, "no_primary_key", table).severity == model::Severity::low);
  }
  // the message says why the empty one is low
  CHECK_THAT(finding(result, "no_primary_key", "public.empty_a").message,
             Catch::Contains("low: it holds fewer than 1000 rows (estimated)"));
  CHECK(finding(result, "no_primary_key", "public.named_a").message.find("fewer than") == std::string::npos);
  const auto& empty = group_of(result, "no_primary_key", "public.empty_a");
  const auto& named = group_of(result, "no_primary_key", "public.named_a");
  CHECK(group_of(result, "no_primary_key", "public.empty_b") == empty);
  CHECK(group_of(result, "no_primary_key", "public.named_b") == named);
  CHECK(empty != named);
  // control: rows and no key that identifies them, each table its own decision
  const auto& loaded = group_of(result, "no_primary_key", "public.loaded_a");
  CHECK(finding(result, "no_primary_key", "public.loaded_a").severity == model::Severity::medium);
  CHECK(group_of(result, "no_primary_key", "public.loaded_b") != loaded);
  CHECK(loaded != empty);
  CHECK(loaded != named);
  CHECK(loaded.size() == 12);
  CHECK(empty.size() == 12);
}

TEST_CASE("groups: the outputs show entries, each finding keeps its own fingerprint", "[integration][groups]")
{
  ScratchDb db;
  plant_groups(db);
  const auto audit = fmt::format("audit --db {} --no-progress --check no_primary_key --check type_timestamp_no_tz "
                                 "--check missing_index",
                                 shell_quote(db.conninfo()));

  const auto json_run = run_cli(audit + " --format json");
  REQUIRE(json_run.exit_code == 0);
  const auto doc = nlohmann::json::parse(json_run.out);
  std::map<std::string, nlohmann::json> groups;
  for (const auto& g : doc.at("groups")) {
    groups[g.at("summary").get<std::string>()] = g;
  }
  REQUIRE(groups.count("table notes in 3 schemas"));
  CHECK(groups["table notes in 3 schemas"].at("count") == 3);
  REQUIRE(groups.count("3 columns in 2 tables"));
  CHECK(groups["3 columns in 2 tables"].at("check_id") == "type_timestamp_no_tz");
  CHECK(groups.count("public.lonely"));
  std::set<std::string> fingerprints;
  std::size_t in_groups = 0;
  for (const auto& f : doc.at("findings")) {
    fingerprints.insert(f.at("fingerprint").get<std::string>());
    CHECK(f.at("group").get<std::string>().size() == 12);
  }
  for (const auto& g : doc.at("groups")) {
    in_groups += g.at("count").get<std::size_t>();
  }
  CHECK(fingerprints.size() == doc.at("findings").size());
  CHECK(in_groups == doc.at("findings").size());

  // Text: one line per entry naming its objects; -v: the heading, the lead in full, the others
  // by name; --expand prints each.
  const auto lines = run_cli(audit);
  REQUIRE(lines.exit_code == 0);
  CHECK_THAT(lines.out, Catch::Contains(fmt::format("finding(s) in {} entries", doc.at("groups").size())));
  CHECK_THAT(lines.out, Catch::Contains("MEDIUM    no_primary_key  table notes in 3 schemas: t1.notes, t2.notes, t3.notes\n"));
  CHECK(lines.out.find("[t1.notes]") == std::string::npos);
  const auto text = run_cli(audit + " -v");
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains(fmt::format("finding(s) in {} entries", doc.at("groups").size())));
  CHECK_THAT(text.out, Catch::Contains("MEDIUM    no_primary_key  table notes in 3 schemas\n  [t1.notes] first of 3; the others are alike"));
  CHECK_THAT(text.out, Catch::Contains("  also: t2.notes, t3.notes\n"));
  CHECK(text.out.find("[t2.notes]") == std::string::npos);
  const auto expanded = run_cli(audit + " --expand");
  REQUIRE(expanded.exit_code == 0);
  CHECK_THAT(expanded.out, Catch::Contains("  [t2.notes]\n"));
  CHECK(expanded.out.find("  also: ") == std::string::npos);

  // Markdown (the report's templates): one heading per entry, the others in a details list.
  const auto md = run_cli(audit + " --format markdown");
  REQUIRE(md.exit_code == 0);
  CHECK_THAT(md.out, Catch::Contains("on table notes in 3 schemas"));
  CHECK_THAT(md.out, Catch::Contains("other(s) listed after it are the same object in other schemas"));
  CHECK_THAT(md.out, Catch::Contains("<details><summary>2 more like it</summary>"));
  CHECK_THAT(md.out, Catch::Contains("| medium | t3.notes |"));
}

TEST_CASE("groups: an entry whose fixes differ says how many of the others print advice instead of a script",
          "[integration][groups]")
{
  // Mattermost: the lead's multi-step script, "the others are alike", and the other one advice only
  ScratchDb db;
  db.exec(R"(
    -- values shorter than n (padded): low, one entry (values that fill n would be info)
    create table public.translations(id bigint primary key, normhash char(32), lang char(5));
    insert into public.translations select g, left(md5(g::text), 30), 'en' from generate_series(1, 2000) g;
    -- an expression index over lang: no script moves it, the fix is advice
    create index translations_lang_idx on public.translations (lower(lang));
    analyze public.translations;
  )");
  const auto audit = fmt::format("audit --db {} --no-progress --check type_char_n -v", shell_quote(db.conninfo()));
  const auto text = run_cli(audit);
  REQUIRE(text.exit_code == 0);
  INFO(text.out);
  CHECK_THAT(text.out, Catch::Contains("1 of the others print"));
  CHECK(text.out.find("the others are alike") == std::string::npos);
}

TEST_CASE("groups: a check-wide entry does not call the fixes of other objects alike",
          "[integration][groups]")
{
  // Umami: "the others are alike" over unique_candidate fixes of other tables, one of which also
  // dropped an index: each object's fix is its own
  ScratchDb db;
  db.exec(R"(
    create table public.accounts(id bigint primary key, region char(4));
    create table public.offices(id bigint primary key, region char(4), floor char(3));
    insert into public.accounts select g, 'eu' from generate_series(1, 2000) g;
    insert into public.offices select g, 'us', 'a' from generate_series(1, 2000) g;
    create index offices_region_idx on public.offices (region);
    analyze public.accounts, public.offices;
  )");
  const auto text = run_cli(fmt::format("audit --db {} --no-progress --check type_char_n -v", shell_quote(db.conninfo())));
  REQUIRE(text.exit_code == 0);
  INFO(text.out);
  CHECK_THAT(text.out, Catch::Contains("the others: other objects, each with its own fix (--expand shows each)"));
  CHECK(text.out.find("the others are alike") == std::string::npos);

  // The report (detailed from medium): duplicate indexes of 1 MB and more (distinct keys: no
  // deduplication) on two tables, one entry.
  db.exec(R"(
    create table public.visits(id bigint primary key, site_id int);
    create table public.clicks(id bigint primary key, site_id int);
    insert into public.visits select g, g from generate_series(1, 100000) g;
    insert into public.clicks select g, g from generate_series(1, 100000) g;
    create index visits_site_a on public.visits (site_id);
    create index visits_site_b on public.visits (site_id);
    create index clicks_site_a on public.clicks (site_id);
    create index clicks_site_b on public.clicks (site_id);
    analyze public.visits, public.clicks;
  )");
  const auto md = run_cli(fmt::format("audit --db {} --no-progress --check duplicate_index --format markdown", shell_quote(db.conninfo())));
  REQUIRE(md.exit_code == 0);
  INFO(md.out);
  CHECK_THAT(md.out, Catch::Contains("other(s) listed after it are other objects, each with its own fix"));
}

TEST_CASE("groups: an inheritance child's findings are its topmost parent's entry, as a partition's",
          "[integration][groups]")
{
  // Concourse: pipeline_build_events_N () INHERITS (build_events), one per pipeline, each without
  // a primary key: one design, 25 entries
  ScratchDb db;
  db.exec(R"(
    create table public.build_events(build_id bigint, event_id int, payload text);
    create table public.pipeline_build_events_1 () inherits (public.build_events);
    create table public.pipeline_build_events_2 () inherits (public.build_events);
    create table public.pipeline_build_events_2_archive () inherits (public.pipeline_build_events_2);
    -- control: a table of its own
    create table public.audit_notes(note text);
    -- rows in each (an empty table's missing key is low, and the empty ones are one entry of their own)
    insert into public.build_events select g, g, 'p' from generate_series(1, 2000) g;
    insert into public.pipeline_build_events_1 select g, g, 'p' from generate_series(1, 2000) g;
    insert into public.pipeline_build_events_2 select g, g, 'p' from generate_series(1, 2000) g;
    insert into public.pipeline_build_events_2_archive select g, g, 'p' from generate_series(1, 2000) g;
    insert into public.audit_notes select 'n' from generate_series(1, 2000) g;
    analyze;
  )");
  const auto out = run_cli(fmt::format("audit --db {} --no-progress --check no_primary_key --format json", shell_quote(db.conninfo())));
  REQUIRE(out.exit_code == 0);
  const auto doc = nlohmann::json::parse(out.out);
  const auto& findings = doc.contains("databases") ? doc.at("databases").at(0).at("findings") : doc.at("findings");
  std::map<std::string, std::string> group_of;
  for (const auto& f : findings) {
    group_of[f.at("object").get<std::string>()] = f.at("group").get<std::string>();
  }
  REQUIRE(group_of.count("public.build_events"));
  for (const auto* child : {"public.pipeline_build_events_1", "public.pipeline_build_events_2", "public.pipeline_build_events_2_archive"}) {
    INFO(child);
    REQUIRE(group_of.count(child));
    CHECK(group_of.at(child) == group_of.at("public.build_events"));
  }
  CHECK(group_of.at("public.audit_notes") != group_of.at("public.build_events"));
}
