// One object, one entry (audit/one_entry_per_object.cpp): where two checks report the same
// object and one's fix does what the other asks, or makes it moot, the audit has one finding.

#include "audit/one_entry_per_object.hpp"
#include "model/remediation_kind.hpp"
#include "support/previous_snapshot.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace test;

namespace {

// Each object of `result` with the checks that report it, for those reported more than once.
std::map<std::string, std::vector<std::string>>
objects_reported_twice(const model::AuditResult& result)
{
  std::map<std::string, std::vector<std::string>> checks_of;
  for (const auto& h : result.findings.heads()) {
    checks_of[std::string(h.object_type.str()) + " " + h.object].push_back(h.check_id);
  }
  std::erase_if(checks_of, [](const auto& entry) { return entry.second.size() < 2; });
  return checks_of;
}

} // namespace

TEST_CASE("one entry per object: a duplicate that is also redundant, an unindexed foreign key that is dropped as a "
          "duplicate or replaced for its tenant",
          "[one_entry_per_object]")
{
  ScratchDb db;
  db.plant("public", R"(
    -- an index both a twin of another and a left prefix of a third: dropped once
    create table invoices(id bigint primary key, counter int, number int);
    insert into invoices select g, g % 50, g from generate_series(1, 500) g;
    create index invoices_counter_idx on invoices(counter);
    create index invoices_counter_idx2 on invoices(counter);
    create index invoices_counter_number_idx on invoices(counter, number);
    -- a foreign key declared twice, neither indexed: the extra one is dropped, the twin keeps
    -- its own missing index
    create table users(id bigint primary key);
    insert into users select g from generate_series(1, 20) g;
    create table posts(id bigint primary key, user_id bigint);
    insert into posts select g, 1 + g % 20 from generate_series(1, 200) g;
    alter table posts add constraint posts_user_fk foreign key (user_id) references users(id);
    alter table posts add constraint posts_user_id_fkey foreign key (user_id) references users(id);
    -- a foreign key between tenant tables without the tenant, and without an index: its
    -- replacement comes with the index it needs
    create table tenants(id bigint primary key);
    insert into tenants select g from generate_series(1, 3) g;
    create table projects(id bigint primary key, tenant_id bigint not null references tenants(id));
    insert into projects select g, 1 + g % 3 from generate_series(1, 30) g;
    create index projects_tenant_id_idx on projects(tenant_id);
    create table tasks(id bigint primary key, tenant_id bigint not null references tenants(id), project_id bigint);
    insert into tasks select g, 1 + (g % 30 + 1) % 3, g % 30 + 1 from generate_series(1, 300) g;
    -- ... and NOT VALID: the fix validates its replacement instead
    alter table tasks add constraint tasks_project_id_fkey foreign key (project_id) references projects(id) not valid;
    create index tasks_tenant_id_idx on tasks(tenant_id);
    -- control: a nullable tenant key, whose fix keeps the original key beside the new one (the
    -- composite key does not check rows without a tenant): the original still needs its index
    create table notes(id bigint primary key, tenant_id bigint references tenants(id),
                       project_id bigint references projects(id));
    insert into notes select g, case when g > 5 then 1 + (g % 30 + 1) % 3 end, g % 30 + 1 from generate_series(1, 60) g;
    create index notes_tenant_id_idx on notes(tenant_id);
    -- a foreign key repeated NOT VALID beside its validated twin: dropped, never validated; the
    -- control, two twins both NOT VALID: the drop waits for a validated twin, so the validation
    -- stays its own entry
    create table comments(id bigint primary key, user_id bigint);
    create index comments_user_id_idx on comments(user_id);
    alter table comments add constraint comments_user_fk foreign key (user_id) references users(id);
    alter table comments add constraint comments_user_again_fk foreign key (user_id) references users(id) not valid;
    create table likes(id bigint primary key, user_id bigint);
    create index likes_user_id_idx on likes(user_id);
    alter table likes add constraint likes_user_fk foreign key (user_id) references users(id) not valid;
    alter table likes add constraint likes_user_again_fk foreign key (user_id) references users(id) not valid;
  )");
  const std::vector<std::string> checks{"duplicate_index", "redundant_index", "duplicate_fk", "cross_tenant_fk",
                                        "fk_without_index", "not_valid_constraint"};
  const auto result = db.audit(checks);
  CHECK(objects_reported_twice(result).empty());

  const auto twin = finding(result, "duplicate_index", "public.invoices_counter_idx2");
  CHECK(twin.evidence.contains("redundant_index"));
  CHECK(twin.message.find("; redundant_index agrees: index invoices_counter_idx2 on public.invoices is a left prefix") !=
        std::string::npos);
  CHECK(has_finding(result, "redundant_index", "public.invoices_counter_idx"));

  const auto extra = finding(result, "duplicate_fk", "public.posts.posts_user_id_fkey");
  CHECK(extra.evidence.contains("fk_without_index"));
  CHECK(extra.message.find("which the drop makes moot") != std::string::npos);
  CHECK_FALSE(has_finding(result, "fk_without_index", "public.posts.posts_user_id_fkey"));
  CHECK(has_finding(result, "fk_without_index", "public.posts.posts_user_fk"));

  const auto unvalidated = finding(result, "duplicate_fk", "public.comments.comments_user_again_fk");
  CHECK(unvalidated.evidence.contains("not_valid_constraint"));
  CHECK(unvalidated.message.find("which the drop makes moot; the drop waits until the twin it repeats is validated") !=
        std::string::npos);
  CHECK_FALSE(has_finding(result, "not_valid_constraint", "public.comments.comments_user_again_fk"));
  // both twins NOT VALID: the extra one's drop waits for the other's validation, its own entry
  const auto waiting = finding(result, "duplicate_fk", "public.likes.likes_user_again_fk");
  CHECK(waiting.evidence["kept_validated"] == false);
  CHECK(waiting.evidence.contains("not_valid_constraint"));
  CHECK(waiting.message.find("the drop waits until the twin it repeats is validated") != std::string::npos);
  CHECK(has_finding(result, "not_valid_constraint", "public.likes.likes_user_fk"));

  const auto crossing = finding(result, "cross_tenant_fk", "public.tasks.tasks_project_id_fkey");
  CHECK(crossing.evidence.contains("fk_without_index"));
  CHECK(crossing.evidence.contains("not_valid_constraint"));
  CHECK(crossing.message.find("the fix validates its replacement and drops it") != std::string::npos);
  CHECK(crossing.message.find("is served by an index led by those columns, which the fix builds when there is none") != std::string::npos);
  CHECK_FALSE(has_finding(result, "fk_without_index", "public.tasks.tasks_project_id_fkey"));
  // a nullable tenant key: the original stays beside its replacement and still needs its index,
  // which the fix builds last (and the undo drops first)
  const auto nullable = finding(result, "cross_tenant_fk", "public.notes.notes_project_id_fkey");
  CHECK(nullable.evidence["drops_original"] == false);
  CHECK(nullable.evidence.contains("fk_without_index"));
  CHECK(nullable.message.find("the last step builds the index it needs") != std::string::npos);
  CHECK(nullable.remediation.find("\n\n-- then (fk_without_index): foreign key notes_project_id_fkey") != std::string::npos);
  CHECK(nullable.undo.rfind("-- first (fk_without_index):\n", 0) == 0);
  CHECK_FALSE(has_finding(result, "fk_without_index", "public.notes.notes_project_id_fkey"));
  {
    const auto both = run_fix_on_copy(db, nullable);
    INFO(both.run.output);
    CHECK(both.problems().empty());
    const auto after = both.copy->audit(checks);
    CHECK_FALSE(has_finding(after, "fk_without_index", "public.notes.notes_project_id_fkey"));
    CHECK_FALSE(has_finding(after, "cross_tenant_fk", "public.notes.notes_project_id_fkey"));
    const auto undone = run_psql_script(*both.copy, nullable.undo);
    INFO(undone.output);
    CHECK(undone.errors().empty());
    CHECK(weakened_constraints(key_constraints(db), key_constraints(*both.copy)).empty());
    CHECK(finding(both.copy->audit(checks), "cross_tenant_fk", "public.notes.notes_project_id_fkey")
            .evidence.contains("fk_without_index"));
  }

  // The entries' fixes, all run (the likes' keys left alone): no finding of the five checks is
  // left but the twin foreign key's own missing index, and no index on a replaced key's column
  // alone was made.
  std::string all;
  for (const auto& h : result.findings.heads()) {
    const auto f = result.whole(h);
    if (f.object != "public.posts.posts_user_fk" && f.object.rfind("public.likes.", 0) != 0) {
      all += f.remediation + "\n";
    }
  }
  const auto fixed = run_fix_on_copy(db, all);
  CHECK(fixed.problems().empty());
  const auto again = fixed.copy->audit(checks);
  CHECK(has_finding(again, "fk_without_index", "public.posts.posts_user_fk"));
  CHECK(has_finding(again, "duplicate_fk", "public.likes.likes_user_again_fk"));
  CHECK(has_finding(again, "not_valid_constraint", "public.likes.likes_user_fk"));
  CHECK(again.findings.size() == 3);
  CHECK(fixed.copy->scalar("select count(*) from pg_index where indrelid = 'tasks'::regclass and indkey::text = (select "
                           "attnum::text from pg_attribute where attrelid = 'tasks'::regclass and attname = 'project_id')") ==
        "0");
}

TEST_CASE("one entry per object: a table retired as unused needs no key first, and keeps the retirement's severity",
          "[one_entry_per_object]")
{
  ScratchDb db;
  db.plant("public", R"(
    -- keyless, idle since the previous audit: retiring it makes its missing key moot
    create table import_rows(batch text, line int, body text);
    -- control: keyless and written since: its missing key is its own entry, at its own severity
    create table events(kind text, at timestamptz, body text);
  )");
  db.exec_with_stats(R"(
    insert into import_rows select 'b', g, 'x' from generate_series(1, 3000) g;
    insert into events select 'k', now(), 'x' from generate_series(1, 3000) g;
  )");
  const std::vector<std::string> checks{"unused_table", "no_primary_key"};
  auto previous = previous_from(db.audit({"metrics_tables"}));
  previous.taken_at -= 10 * k_day_seconds;
  db.exec_with_stats("insert into events select 'k', now(), 'y' from generate_series(1, 10) g");
  const auto result = db.audit(checks, audit::default_config(), previous);
  CHECK(objects_reported_twice(result).empty());

  const auto retired = finding(result, "unused_table", "public.import_rows");
  INFO(retired.message);
  CHECK(retired.evidence.contains("no_primary_key"));
  CHECK(retired.message.find("which retiring it makes moot") != std::string::npos);
  // no_primary_key alone grades a keyless table of rows medium; nobody uses this one
  CHECK(retired.evidence.at("no_primary_key").is_object());
  CHECK(retired.severity == model::Severity::low);
  CHECK_FALSE(has_finding(result, "no_primary_key", "public.import_rows"));
  const auto keyless = finding(result, "no_primary_key", "public.events");
  CHECK(keyless.severity == model::Severity::medium);

  // retired (renamed to deprecated_import_rows), it is reported for neither
  const auto fixed = run_fix_on_copy(db, retired);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  const auto again = fixed.copy->audit({"no_primary_key"});
  CHECK_FALSE(has_finding(again, "no_primary_key", "public.import_rows"));
}

TEST_CASE("one entry per object: a varchar(n) column made unique is made text as the fix's last step",
          "[one_entry_per_object][roundtrip]")
{
  ScratchDb db;
  db.plant("public", R"(
    create table accounts(id bigint primary key, email varchar(120), slug varchar(40), note varchar(200));
    insert into accounts select g, 'a' || g || '@example.com', 'acct-' || g, 'note ' || (g % 7) from generate_series(1, 2000) g;
    create view account_emails as select id, email from accounts;
    analyze accounts;
  )");
  const std::vector<std::string> checks{"unique_candidate", "type_varchar_n"};
  const auto result = db.audit(checks);
  CHECK(objects_reported_twice(result).empty());

  const auto email = finding(result, "unique_candidate", "public.accounts.email");
  INFO(email.remediation);
  CHECK(email.evidence.contains("type_varchar_n"));
  CHECK(email.message.find("the last step makes it text") != std::string::npos);
  CHECK(email.remediation.find("\n\n-- then (type_varchar_n): ") != std::string::npos);
  CHECK(email.undo.rfind("-- first (type_varchar_n):\n", 0) == 0);
  CHECK_FALSE(has_finding(result, "type_varchar_n", "public.accounts.email"));
  // control: varchar(n) with repeated values is type_varchar_n's alone
  CHECK(has_finding(result, "type_varchar_n", "public.accounts.note"));

  const auto fixed = run_fix_on_copy(db, email);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK(fixed.copy->scalar("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'accounts'::regclass "
                           "and attname = 'email'") == "text");
  CHECK(fixed.copy->scalar("select count(*) from pg_constraint where conrelid = 'accounts'::regclass and contype = 'u'") == "1");
  CHECK(fixed.copy->scalar("select count(*) from account_emails") == "2000");
  const auto again = fixed.copy->audit(checks);
  CHECK_FALSE(has_finding(again, "unique_candidate", "public.accounts.email"));
  CHECK_FALSE(has_finding(again, "type_varchar_n", "public.accounts.email"));

  const auto undone = run_psql_script(*fixed.copy, email.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  // type_varchar_n's undo leaves text (the way back, a scan under an exclusive lock, is a comment)
  CHECK(fixed.copy->scalar("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'accounts'::regclass "
                           "and attname = 'email'") == "text");
  CHECK(fixed.copy->scalar("select count(*) from pg_constraint where conrelid = 'accounts'::regclass and contype = 'u'") == "0");
}

TEST_CASE("one entry per object: a column's NOT NULL leads a design-wide type change, which is its last step",
          "[one_entry_per_object][roundtrip]")
{
  // Mattermost: 46 of 129 NOT NULL candidates were hidden in the info varchar(n) entry
  ScratchDb db;
  // (the insert's counters flushed before ANALYZE: not_null_candidate wants statistics taken after the writes)
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table channels(id bigint primary key, name varchar(64), created timestamp default now(), note varchar(200),
                          -- Mattermost's posts.message: the change to text rebuilds the full-text index under
                          -- the exclusive lock, and an indexed timestamp's rebuilds its index: not a last step
                          -- of a NOT NULL fix of effort low
                          message varchar(4000), updated timestamp default now());
    create index channels_message_txt on channels using gin (to_tsvector('english', message));
    create index channels_updated on channels (updated);
    insert into channels select g, 'c' || (g % 50), now(), case when g % 3 = 0 then 'n' end, 'message ' || g, now()
      from generate_series(1, 2000) g;
  )");
  db.exec_with_stats("analyze channels");
  const std::vector<std::string> checks{"not_null_candidate", "type_varchar_n", "type_timestamp_no_tz"};
  const auto result = db.audit(checks);
  const auto twice = objects_reported_twice(result);
  CHECK(twice.size() == 2);
  CHECK(twice.count("column public.channels.message") == 1);
  CHECK(twice.count("column public.channels.updated") == 1);
  const auto name = finding(result, "not_null_candidate", "public.channels.name");
  INFO(name.remediation);
  CHECK(name.severity == model::Severity::low);
  CHECK(name.evidence.contains("type_varchar_n"));
  CHECK(name.message.find("the last step makes it text") != std::string::npos);
  CHECK(name.remediation.find("\n\n-- then (type_varchar_n): ") != std::string::npos);
  const auto created = finding(result, "not_null_candidate", "public.channels.created");
  CHECK(created.evidence.contains("type_timestamp_no_tz"));
  CHECK(created.message.find("the last step makes it timestamptz") != std::string::npos);
  CHECK_FALSE(has_finding(result, "type_varchar_n", "public.channels.name"));
  CHECK_FALSE(has_finding(result, "type_timestamp_no_tz", "public.channels.created"));
  // control: a column with NULLs keeps its type finding alone
  CHECK(has_finding(result, "type_varchar_n", "public.channels.note"));
  // a type change that rebuilds indexes under its lock: two entries, each its own decision
  for (const auto& [type_check, column] : {std::pair{"type_varchar_n", "message"}, std::pair{"type_timestamp_no_tz", "updated"}}) {
    const auto object = std::string("public.channels.") + column;
    const auto not_null = finding(result, "not_null_candidate", object);
    CHECK_FALSE(not_null.evidence.contains(type_check));
    CHECK(not_null.remediation.find("-- then (") == std::string::npos);
    CHECK(not_null.effort == model::Effort::low);
    CHECK(finding(result, type_check, object).effort == model::Effort::medium);
  }

  for (const auto* f : {&name, &created}) {
    const auto fixed = run_fix_on_copy(db, *f);
    INFO(fixed.run.output);
    CHECK(fixed.problems().empty());
    const auto again = fixed.copy->audit(checks);
    CHECK_FALSE(has_finding(again, "not_null_candidate", f->object));
    CHECK_FALSE(has_finding(again, "type_varchar_n", f->object));
    CHECK_FALSE(has_finding(again, "type_timestamp_no_tz", f->object));
  }
}

TEST_CASE("one entry per object: a column retired needs no change of its type", "[one_entry_per_object]")
{
  // Mattermost: columns NULL in every row and varchar(n) were told to be retired and made text
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table posts(id bigint primary key, legacy_props varchar(4000), body text);
    insert into posts select g, null, 'b' || g from generate_series(1, 20000) g;
  )");
  db.exec_with_stats("analyze posts");
  const std::vector<std::string> checks{"unused_column", "type_varchar_n"};
  const auto result = db.audit(checks, trusting_config()); // the counters judged old enough for a rename
  CHECK(objects_reported_twice(result).empty());
  const auto legacy = finding(result, "unused_column", "public.posts.legacy_props");
  CHECK(legacy.evidence.contains("type_varchar_n"));
  CHECK(legacy.message.find("it is varchar(n) too (type_varchar_n), which retiring it makes moot") != std::string::npos);
  CHECK(legacy.remediation.find("type_varchar_n") == std::string::npos);
  CHECK_FALSE(has_finding(result, "type_varchar_n", "public.posts.legacy_props"));
}

TEST_CASE("one entry per object: the nullable columns of a table's future key are made NOT NULL by its fix, not "
          "reported again",
          "[one_entry_per_object][roundtrip]")
{
  // A keyless table whose unique index becomes the key once its columns are NOT NULL: no_primary_key's fix
  // declares them NOT NULL first, which not_null_candidate asked for the same columns (the table and
  // its columns are different objects). Names that need quoting, and a dot inside one.
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table "Acct.Codes"("Code" text, region text, name text not null);
    create unique index "Acct.Codes_key" on "Acct.Codes" ("Code", region);
    insert into "Acct.Codes" select 'c' || g, 'r' || (g % 3), 'n' || g from generate_series(1, 3000) g;
    -- control: a nullable column without NULLs that is no key's column keeps its own entry
    create table ledger(id bigint primary key, memo text);
    insert into ledger select g, 'm' || g from generate_series(1, 3000) g;
  )");
  db.exec_with_stats(R"(analyze "Acct.Codes"; analyze ledger)");
  const std::vector<std::string> checks{"no_primary_key", "not_null_candidate"};
  const auto result = db.audit(checks);
  const auto keyless = finding(result, "no_primary_key", R"(public."Acct.Codes")");
  INFO(keyless.message);
  CHECK(keyless.message.find("the fix declares them NOT NULL first") != std::string::npos);
  REQUIRE(keyless.evidence.contains("not_null_candidate"));
  CHECK(keyless.evidence.at("not_null_candidate").contains("Code"));
  CHECK(keyless.evidence.at("not_null_candidate").contains("region"));
  CHECK_FALSE(has_finding(result, "not_null_candidate", R"(public."Acct.Codes"."Code")"));
  CHECK_FALSE(has_finding(result, "not_null_candidate", R"(public."Acct.Codes".region)"));
  CHECK(has_finding(result, "not_null_candidate", "public.ledger.memo"));

  const auto fixed = run_fix_on_copy(db, keyless);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK(fixed.copy->scalar(R"(select count(*) from pg_attribute where attrelid = '"Acct.Codes"'::regclass )"
                           R"(and attname in ('Code', 'region') and attnotnull)") == "2");
  const auto again = fixed.copy->audit(checks);
  CHECK_FALSE(has_finding(again, "no_primary_key", R"(public."Acct.Codes")"));
  CHECK_FALSE(has_finding(again, "not_null_candidate", R"(public."Acct.Codes"."Code")"));
}

TEST_CASE("one entry per object: an unused index without enough evidence yet does not hide another check's fix",
          "[one_entry_per_object][roundtrip]")
{
  // Danbooru: B-trees on integer[] columns were shown as "unused_index, not enough evidence yet"
  // (advice, nothing to run), their GIN rebuild gone from the full audit
  ScratchDb db;
  db.plant("public", R"(
    create table pool_versions(id bigint primary key, post_ids integer[] not null default '{}', name text);
    create index pool_versions_post_ids_idx on pool_versions(post_ids);
    -- control: unused and nothing else, an entry of its own
    create index pool_versions_name_idx on pool_versions(name);
    insert into pool_versions select g, array[g, g + 1], 'p' || g from generate_series(1, 500) g;
  )");
  const std::vector<std::string> checks{"unused_index", "array_btree_index"};
  const auto result = db.audit(checks); // a new cluster: the counters are younger than stats_min_age_days
  CHECK(objects_reported_twice(result).empty());
  const auto array = finding(result, "array_btree_index", "public.pool_versions_post_ids_idx");
  INFO(array.remediation);
  CHECK(model::remediation_kind(array.remediation) == model::RemediationKind::script);
  REQUIRE(array.evidence.contains("unused_index"));
  CHECK(array.evidence.at("unused_index").contains("confidence_basis"));
  CHECK(array.severity == model::Severity::low);
  CHECK_FALSE(has_finding(result, "unused_index", "public.pool_versions_post_ids_idx"));
  const auto name = finding(result, "unused_index", "public.pool_versions_name_idx");
  CHECK(name.severity == model::Severity::info);
  CHECK(audit::merged_checks(array) == std::vector<std::string>{"unused_index"});

  const auto fixed = run_fix_on_copy(db, array);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(has_finding(fixed.copy->audit(checks), "array_btree_index", "public.pool_versions_post_ids_idx"));
}

TEST_CASE("one entry per object: a json or money column retired needs no change of its type either", "[one_entry_per_object]")
{
  // Harbor's scan_report.report and vulnerability_record.vendor_attributes: json, NULL in every row,
  // were told to be rewritten to jsonb (low, a table rewrite) and, in another entry, retired
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table reports(id bigint primary key, report json, fee money, payload text not null);
    insert into reports select g, null, null, repeat('x', 200) from generate_series(1, 20000) g;
  )");
  db.exec_with_stats("analyze reports");
  const std::vector<std::string> checks{"unused_column", "type_json", "type_money"};
  const auto result = db.audit(checks, trusting_config());
  CHECK(objects_reported_twice(result).empty());
  const auto report = finding(result, "unused_column", "public.reports.report");
  CHECK(report.evidence.contains("type_json"));
  CHECK(report.message.find("it is json too (type_json), which retiring it makes moot") != std::string::npos);
  CHECK(report.remediation.find("jsonb") == std::string::npos);
  CHECK_FALSE(has_finding(result, "type_json", "public.reports.report"));
  CHECK(finding(result, "unused_column", "public.reports.fee").evidence.contains("type_money"));
  CHECK_FALSE(has_finding(result, "type_money", "public.reports.fee"));
}

TEST_CASE("one entry per object: an info unique_candidate does not hide a varchar(n) column's fix, one entry",
          "[one_entry_per_object]")
{
  // Temporal's current_executions.create_request_id: unique_candidate info (advice: an id of another
  // entity) and type_varchar_n's change to text were two entries for one column
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table executions(id bigint primary key, create_request_id varchar(255) not null, status text);
    create index executions_request on executions(create_request_id);
    insert into executions select g, md5(g::text), 'open' from generate_series(1, 5000) g;
  )");
  db.exec_with_stats("analyze executions");
  const std::vector<std::string> checks{"unique_candidate", "type_varchar_n"};
  const auto result = db.audit(checks);
  CHECK(objects_reported_twice(result).empty());
  CHECK_FALSE(has_finding(result, "unique_candidate", "public.executions.create_request_id"));
  const auto request = finding(result, "type_varchar_n", "public.executions.create_request_id");
  CHECK(model::remediation_kind(request.remediation) == model::RemediationKind::script);
  REQUIRE(request.evidence.contains("unique_candidate"));
  CHECK(request.evidence.at("unique_candidate").at("plain_reference_index") == "executions_request");
  // and said in its words
  CHECK(request.message.find("; unique_candidate too (info, nothing to act on yet): column public.executions.create_request_id "
                             "looks unique") != std::string::npos);
}

TEST_CASE("one entry per object: a char(n) column referencing a key of another type is fk_type_mismatch's entry",
          "[one_entry_per_object]")
{
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table parents(code text primary key);
    insert into parents select 'p' || g from generate_series(1, 100) g;
    create table children(id bigint primary key, parent_code char(8) references parents(code));
    insert into children select g, 'p' || (g % 100 + 1) from generate_series(1, 3000) g;
  )");
  db.exec_with_stats("analyze parents, children");
  const auto result = db.audit({"fk_type_mismatch", "type_char_n"});
  CHECK(objects_reported_twice(result).empty());
  CHECK_FALSE(has_finding(result, "type_char_n", "public.children.parent_code"));
  const auto child = finding(result, "fk_type_mismatch", "public.children.parent_code");
  CHECK(child.evidence.contains("type_char_n"));
  CHECK(child.message.find("it is char(n) too (type_char_n): the swap gives it the key's type") != std::string::npos);
}

TEST_CASE("one entry per object: a column NULL in every row that looks like a reference is retired, not keyed",
          "[one_entry_per_object]")
{
  // Supabase Auth's flow_state.oauth_client_state_id: a foreign key to add and a column to retire
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table oauth_client_states(id bigint primary key);
    insert into oauth_client_states select g from generate_series(1, 100) g;
    create table flow_state(id bigint primary key, oauth_client_state_id bigint, provider text not null);
    insert into flow_state select g, null, 'p' from generate_series(1, 20000) g;
  )");
  db.exec_with_stats("analyze oauth_client_states, flow_state");
  const auto result = db.audit({"unused_column", "missing_fk"}, trusting_config());
  CHECK(objects_reported_twice(result).empty());
  CHECK_FALSE(has_finding(result, "missing_fk", "public.flow_state.oauth_client_state_id"));
  const auto retired = finding(result, "unused_column", "public.flow_state.oauth_client_state_id");
  CHECK(retired.evidence.contains("missing_fk"));
  CHECK(retired.message.find("it looks like a reference too (missing_fk), which retiring it makes moot") != std::string::npos);
}

TEST_CASE("one entry per object: a column NULL everywhere on a young database keeps its type's fix, one entry",
          "[one_entry_per_object]")
{
  // Plausible: users.totp_token was in type_varchar_n's entry (change its type) and in unused_column's
  // (not enough evidence yet to retire it): the type change is the entry, the retirement's evidence in it
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table users(id bigint primary key, totp_token varchar(64), email text);
    insert into users select g, null, 'u' || g from generate_series(1, 20000) g;
  )");
  db.exec_with_stats("analyze users");
  const std::vector<std::string> checks{"unused_column", "type_varchar_n"};
  const auto result = db.audit(checks); // a new cluster: unused_column's verdict is advice
  CHECK(objects_reported_twice(result).empty());
  CHECK_FALSE(has_finding(result, "unused_column", "public.users.totp_token"));
  const auto token = finding(result, "type_varchar_n", "public.users.totp_token");
  CHECK(model::remediation_kind(token.remediation) == model::RemediationKind::script);
  REQUIRE(token.evidence.contains("unused_column"));
  CHECK(token.evidence.at("unused_column").at("always_null") == true);
  CHECK(token.message.find("; unused_column too (info, nothing to act on yet): ") != std::string::npos);
  CHECK(audit::merged_checks(token) == std::vector<std::string>{"unused_column"});
}

TEST_CASE("one entry per object: an index on the tenant alone that the cross-tenant fix drops, redundant already, is "
          "that fix's entry",
          "[one_entry_per_object]")
{
  // Formbricks: "Segment_workspaceId_idx", a left prefix of another index, was a redundant_index
  // entry and dropped again by the cross_tenant_fk fix of "Survey_segmentId_fkey": two drops, two
  // undos for one index
  ScratchDb db;
  db.plant("public", R"(
    create table workspaces(id bigint primary key);
    create table segments(id bigint primary key, workspace_id bigint not null references workspaces, title text);
    create index segments_workspace_id_idx on segments(workspace_id);
    create index segments_workspace_id_title_idx on segments(workspace_id, title);
    create table surveys(id bigint primary key, workspace_id bigint not null references workspaces,
                         segment_id bigint references segments);
    create index on surveys(workspace_id);
    create index on surveys(segment_id);
    insert into workspaces select generate_series(1, 3);
    insert into segments select g, g % 3 + 1, 't' || g from generate_series(1, 300) g;
    insert into surveys select g, s.workspace_id, s.id from generate_series(1, 300) g join segments s on s.id = g;
  )");
  const auto result = db.audit({"cross_tenant_fk", "redundant_index"});
  CHECK_FALSE(has_finding(result, "redundant_index", "public.segments_workspace_id_idx"));
  const auto& fk = finding(result, "cross_tenant_fk", "public.surveys.surveys_segment_id_fkey");
  INFO(fk.message);
  CHECK(fk.evidence.at("drops_indexes") == nlohmann::json::array({"public.segments_workspace_id_idx"}));
  CHECK(fk.evidence.at("redundant_index").contains("public.segments_workspace_id_idx"));
  CHECK(fk.message.find("; an index on the tenant alone it drops is redundant already (redundant_index)") != std::string::npos);
  CHECK(audit::merged_checks(fk) == std::vector<std::string>{"redundant_index"});
  const auto fixed = run_fix_on_copy(db, fk);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.copy->scalar("select to_regclass('public.segments_workspace_id_idx')").has_value());
}
