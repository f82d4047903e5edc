#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("not_null_candidate: flags nullable columns without NULLs on analyzed tables of real size",
          "[checks][versioned][not_null_candidate]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.regions(id bigint primary key);
    insert into $s.regions select generate_series(1, 10);
    create table $s.customers(id bigint primary key, email text, phone text, country text not null,
                              -- controls, nullable by design: set to NULL when the region goes, and an
                              -- event time (NULL until it happens) that every row happens to have
                              region_id bigint references $s.regions on delete set null, verified_at timestamptz,
                              -- a creation time with a default: a candidate like any other
                              signed_up_at timestamptz default now(),
                              -- control: a validated check enforces the rule already
                              nickname text constraint customers_nickname_present check (nickname is not null));
    insert into $s.customers
      select g, 'c' || g || '@example.com', case when g % 4 = 0 then '+1555' || g end, 'US',
             1 + g % 10, now() - g * interval '1 hour', now() - g * interval '2 hours', 'n' || g
      from generate_series(1, 3000) g;
    -- control: statistics gone stale (half the rows changed since the last analyze; autovacuum
    -- off, or an auto-analyze between the update and the audit makes them fresh)
    create table $s.orders(id bigint primary key, reference text) with (autovacuum_enabled = false);
    insert into $s.orders select g, 'ord-' || g from generate_series(1, 3000) g;
    -- control: too small to judge
    create table $s.settings(id bigint primary key, value text);
    insert into $s.settings values (1, 'on');
  )");
  db.exec_with_stats("analyze");
  db.exec_with_stats(with_schema(schema, "update $s.orders set reference = reference || '-x' where id <= 1500"));

  const auto result = db.audit({"not_null_candidate"});
  const auto s = ident(schema);

  const auto& email = finding(result, "not_null_candidate", ident(schema) + ".customers.email");
  CHECK(email.severity == model::Severity::low);
  CHECK(email.remediation.find("select count(*) into nulls from " + s + ".customers where email is null;") != std::string::npos);
  if (cluster_major() >= 18) {
    // NULLs stop it first; the NOT NULL constraint itself NOT VALID, then validated.
    CHECK(email.remediation.find("  alter table " + s + ".customers add constraint customers_email_not_null not null email not valid;\n"
                                 "end $$;\n-- 2. validate it without blocking writes (SHARE UPDATE EXCLUSIVE)\n"
                                 "alter table " + s + ".customers validate constraint customers_email_not_null;") != std::string::npos);
    CHECK(email.remediation.find("set not null") == std::string::npos);
    CHECK(email.undo.find("drop not null") == std::string::npos);
  } else {
    // NULLs stop it first; SET NOT NULL only once the check is validated; the check dropped after.
    CHECK(email.remediation.find("  alter table " + s + ".customers add constraint customers_email_not_null check (email is not null) not valid;\n"
                                 "end $$;\n-- 2. validate it without blocking writes\n"
                                 "alter table " + s + ".customers validate constraint customers_email_not_null;") != std::string::npos);
    CHECK(email.remediation.find("c.conname = 'customers_email_not_null' and c.convalidated) then") != std::string::npos);
    CHECK(email.remediation.find("  alter table " + s + ".customers drop constraint if exists customers_email_not_null;") != std::string::npos);
    CHECK(email.undo.find("alter table " + s + ".customers alter column email drop not null;") != std::string::npos);
  }
  CHECK(email.undo.find("alter table " + s + ".customers drop constraint if exists customers_email_not_null;") != std::string::npos);

  CHECK(has_finding(result, "not_null_candidate", ident(schema) + ".customers.signed_up_at"));
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".customers.region_id"));   // on delete set null
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".customers.verified_at")); // event time
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".customers.phone"));   // has NULLs
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".customers.country")); // already not null
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".customers.nickname")); // a validated check
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".orders.reference"));  // stale statistics
  CHECK_FALSE(has_finding(result, "not_null_candidate", ident(schema) + ".settings.value"));    // too small
  CHECK(findings_of(result, "not_null_candidate").size() == 2);
  CHECK(email.confidence.str().empty());

  // Formbricks: after the counters are reset (pg_stat_reset, a crash, a promotion, a copy) the
  // last analyze time is unknown while pg_stats stays: the check went silent. The columns are
  // judged all the same, with medium confidence; the stale table's modifications before the reset
  // are not counted any more, which the evidence says.
  db.exec_with_stats("select pg_catalog.pg_stat_reset()");
  const auto reset = db.audit({"not_null_candidate"});
  const auto& unknown = finding(reset, "not_null_candidate", s + ".customers.email");
  CHECK(unknown.severity == model::Severity::low);
  CHECK(unknown.confidence.str() == "medium");
  CHECK(unknown.evidence.at("statistics_age") == "unknown");
  CHECK(unknown.message.find("the statistics' age is unknown") != std::string::npos);
  CHECK(has_finding(reset, "not_null_candidate", s + ".customers.signed_up_at"));
  CHECK(has_finding(reset, "not_null_candidate", s + ".orders.reference"));
  CHECK_FALSE(has_finding(reset, "not_null_candidate", s + ".customers.phone"));
  CHECK_FALSE(has_finding(reset, "not_null_candidate", s + ".settings.value"));
}

TEST_CASE("not_null_candidate: the fix runs as printed and stops on a NULL written after the audit",
          "[checks][versioned][not_null_candidate][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.customers(id bigint primary key, email text, signed_up_at timestamptz default now());
    insert into $s.customers select g, 'c' || g || '@example.com', now() from generate_series(1, 3000) g;
    -- the plain check name is taken already, by a constraint of the table
    alter table $s.customers add constraint customers_email_not_null check (email <> '');
  )");
  db.exec_with_stats("analyze");
  const auto result = db.audit({"not_null_candidate"});
  const auto findings = findings_of(result, "not_null_candidate");
  REQUIRE(findings.size() == 2);
  const auto& email = finding(result, "not_null_candidate", ident(schema) + ".customers.email");
  CHECK(email.remediation.find("add constraint customers_email_not_null_") != std::string::npos);

  for (const auto& f : findings) {
    INFO(f.object << "\n" << f.remediation);
    // analyzed on the copy too, so that the re-audit judges it
    const auto fixed = run_fix_on_copy(db, f, "analyze");
    CHECK(fixed.problems().empty());
    CHECK_FALSE(fixed.still_reported(f));
  }

  const auto stopped = run_fix_on_copy(db, email, with_schema(schema, "insert into $s.customers values (3001, null)"));
  INFO(stopped.run.output);
  REQUIRE_FALSE(stopped.run.errors().empty());
  CHECK(stopped.run.errors()[0].find("customers.email holds 1 NULLs") != std::string::npos);
  // Every later step stopped too: the column stays nullable, with no exclusive-lock scan tried.
  if (cluster_major() < 18) {
    CHECK(stopped.run.output.find("is not validated") != std::string::npos);
  }
  CHECK(stopped.copy->scalar(with_schema(schema, "select attnotnull from pg_attribute where attrelid = '$s.customers'::regclass "
                                                 "and attname = 'email'")) == "f");
  CHECK(stopped.weakened.empty());
}

TEST_CASE("not_null_candidate: a partitioned table is judged by its partitions, and its fix reaches all of them",
          "[checks][versioned][not_null_candidate][roundtrip]")
{
  // Gisia: notes and activities (LIST-partitioned) were never judged: PostgreSQL does not analyze a
  // partitioned table itself, and the check read tables only
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.notes(id bigint not null, noteable_type text not null, project_id bigint, discussion text, body text)
      partition by list (noteable_type);
    create table $s.notes_issue partition of $s.notes for values in ('Issue');
    create table $s.notes_mr partition of $s.notes for values in ('MergeRequest');
    -- an empty partition made ahead holds nothing to judge
    create table $s.notes_epic partition of $s.notes for values in ('Epic');
    insert into $s.notes select g, case when g % 3 = 0 then 'MergeRequest' else 'Issue' end, g % 100,
                                case when g % 3 = 0 and g % 2 = 0 then 'd' end, 'b' || g
      from generate_series(1, 6000) g;
    -- control: NULLs in one partition only (merge requests start discussions, issues do not)
  )");
  db.exec_with_stats(with_schema(schema, "analyze $s.notes_issue; analyze $s.notes_mr"));
  const auto result = db.audit({"not_null_candidate"});
  const auto s = ident(schema);
  const auto project = finding(result, "not_null_candidate", s + ".notes.project_id");
  INFO(project.remediation);
  CHECK(project.evidence["partitions"] == 2);
  CHECK(project.evidence["rows_estimate"] == 6000);
  CHECK(has_finding(result, "not_null_candidate", s + ".notes.body"));
  CHECK_FALSE(has_finding(result, "not_null_candidate", s + ".notes.discussion"));
  for (const auto* partition : {".notes_issue.project_id", ".notes_mr.project_id", ".notes_epic.project_id"}) {
    CHECK_FALSE(has_finding(result, "not_null_candidate", s + partition));
  }

  const auto fixed = run_fix_on_copy(db, project);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  // the parent and its three partitions
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) filter (where attnotnull) || ' of ' || count(*) from pg_attribute "
                                               "where attname = 'project_id' and attrelid in (select relid from "
                                               "pg_partition_tree('$s.notes'))")) == "4 of 4");
  const auto undone = run_psql_script(*fixed.copy, project.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(fixed.copy->scalar(with_schema(schema, "select bool_or(attnotnull)::text from pg_attribute where attname = 'project_id' "
                                               "and attrelid in (select relid from pg_partition_tree('$s.notes'))")) == "false");
}

TEST_CASE("not_null_candidate: a column a CHECK reads for its NULLs is nullable by design",
          "[checks][versioned][not_null_candidate]")
{
  // Lemmy: votes whose flag is NULL exactly when the vote is, notifications whose kind says which
  // references are set; the sample held no row of the other kinds
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.votes(person_id int, item_id int, voted_at timestamptz, is_upvote boolean, weight int, "Label" text,
                          primary key (person_id, item_id), check ((voted_at is null) = (is_upvote is null)),
                          check (coalesce(weight, 1) > 0), check (length("Label") > 0));
    insert into $s.votes select g, g, now(), true, 1, 'l' from generate_series(1, 2000) g;
    create table $s.notifications(id int primary key, kind text not null, post_id int, comment_id int, message_id int, body text,
                                  check ((kind = 'reply' and num_nonnulls(post_id, comment_id) = 2)
                                         or (kind = 'pm' and num_nonnulls(message_id) = 1)));
    insert into $s.notifications select g, 'reply', g, g, null, 'b' from generate_series(1, 2000) g;
    -- a plain NOT VALID "IS NOT NULL" check leaves its column a candidate (the fix validates the rule)
    create table $s.pending(id int primary key, code text);
    insert into $s.pending select g, 'c' from generate_series(1, 2000) g;
    alter table $s.pending add constraint pending_code_present check (code is not null) not valid;
  )");
  db.exec_with_stats(with_schema(schema, "analyze $s.votes; analyze $s.notifications; analyze $s.pending"));
  const auto result = db.audit({"not_null_candidate"});
  const auto s = ident(schema);
  for (const auto* column : {".votes.is_upvote", ".votes.weight", ".notifications.post_id", ".notifications.comment_id"}) {
    INFO(column);
    CHECK_FALSE(has_finding(result, "not_null_candidate", s + column));
  }
  // controls: a CHECK that does not read NULLs, a column no CHECK reads, a plain unvalidated one
  CHECK(has_finding(result, "not_null_candidate", s + R"(.votes."Label")"));
  CHECK(has_finding(result, "not_null_candidate", s + ".notifications.body"));
  CHECK(has_finding(result, "not_null_candidate", s + ".pending.code"));
}

TEST_CASE("not_null_candidate: a CHECK that makes another column NULL in some state of the row makes the table's "
          "candidates info, with the steps as advice",
          "[checks][versioned][not_null_candidate]")
{
  // Ente: a soft delete clears encrypted_data (the CHECK ties its NULL to is_deleted) and header with
  // it; the sample held no deleted row, and the fix's NOT NULL refused the application's delete
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.entity_data(id text primary key, user_id bigint not null, encrypted_data text, header text,
                                is_deleted boolean not null default false,
                                constraint entity_data_state check ((is_deleted and encrypted_data is null)
                                                                    or (not is_deleted and encrypted_data is not null)));
    insert into $s.entity_data select 'e' || g, g % 500, md5(g::text), md5(g::text || 'h'), false from generate_series(1, 5000) g;
    -- control: a CHECK that reads no NULL
    create table $s.invoices(id int primary key, amount numeric check (amount >= 0), note text);
    insert into $s.invoices select g, g, 'n' from generate_series(1, 5000) g;
  )");
  db.exec_with_stats(with_schema(schema, "analyze $s.entity_data; analyze $s.invoices"));
  const auto result = db.audit({"not_null_candidate"});
  const auto s = ident(schema);
  const auto& header = finding(result, "not_null_candidate", s + ".entity_data.header");
  INFO(header.message);
  CHECK(header.severity == model::Severity::info);
  CHECK(header.evidence.at("null_state_checks") == "entity_data_state");
  CHECK(header.message.find("but check entity_data_state makes other columns of the row NULL in some state of it") != std::string::npos);
  CHECK(header.remediation.rfind("-- nothing to paste yet", 0) == 0);
  CHECK_FALSE(has_finding(result, "not_null_candidate", s + ".entity_data.encrypted_data"));
  for (const auto* column : {".invoices.amount", ".invoices.note"}) {
    INFO(column);
    CHECK(finding(result, "not_null_candidate", s + column).severity == model::Severity::low);
  }
}

TEST_CASE("not_null_candidate: request metadata (an address, a user agent) is info, the steps as advice",
          "[checks][versioned][not_null_candidate]")
{
  // Rallly's sessions.ip_address: a sign-in on the server has no client IP, and the fix's NOT NULL
  // refused the auth library's insert
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.sessions(id text primary key, user_id text not null, ip_address text, "userAgent" text, token text);
    insert into $s.sessions select 's' || g, 'u' || g, '10.0.0.1', 'UA', md5(g::text) from generate_series(1, 5000) g;
  )");
  db.exec_with_stats(with_schema(schema, "analyze $s.sessions"));
  const auto result = db.audit({"not_null_candidate"});
  const auto s = ident(schema);
  for (const auto* column : {".sessions.ip_address", ".sessions.\"userAgent\""}) {
    const auto& f = finding(result, "not_null_candidate", s + column);
    INFO(f.message);
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("request_metadata") == true);
    CHECK(f.message.find("but it holds request metadata") != std::string::npos);
    CHECK(f.remediation.rfind("-- nothing to paste yet", 0) == 0);
  }
  // control
  CHECK(finding(result, "not_null_candidate", s + ".sessions.token").severity == model::Severity::low);
}

TEST_CASE("not_null_candidate: a generated column is NULL where its expression is, and is no candidate",
          "[checks][versioned][not_null_candidate]")
{
  // Supabase Auth's identities.email, lower(identity_data->>'email'): NULL for phone identities;
  // after the fix, the application's phone identity was refused
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.identities(id bigint primary key, identity_data jsonb not null,
                                   email text generated always as (lower(identity_data ->> 'email')) stored,
                                   provider text);
    insert into public.identities(id, identity_data, provider)
      select g, jsonb_build_object('email', 'U' || g || '@x.io'), 'email' from generate_series(1, 20000) g;
  )");
  db.exec_with_stats("analyze public.identities");
  const auto result = db.audit({"not_null_candidate"});
  CHECK_FALSE(has_finding(result, "not_null_candidate", "public.identities.email"));
  CHECK(has_finding(result, "not_null_candidate", "public.identities.provider")); // control
}

TEST_CASE("not_null_candidate: a column nothing is known to write is info with the steps as advice",
          "[checks][versioned][not_null_candidate]")
{
  // Formbricks' Survey."customHeadScriptsMode" (Prisma optional, default 'add', every row holding
  // it: the application writes NULL later, refused after the fix); Hatchet's v1_lookup_table.task_id,
  // whose trigger function inserts rows without it
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create type public.script_mode as enum ('add', 'replace');
    create table public.surveys(id bigint primary key, mode public.script_mode default 'add',
                                single_use jsonb default '{"enabled": false}', hidden boolean default false,
                                -- Langfuse's prompts.tags (Prisma's String[] @default([])), job_configurations.time_scope
                                tags text[] default array[]::text[], time_scope text[] default array['NEW'],
                                -- control: a default that rows moved away from
                                status text default 'draft', title text);
    insert into public.surveys(id, status, title)
      select g, case when g % 3 = 0 then 'live' else 'draft' end, 't' || g from generate_series(1, 5000) g;
    create table public.lookups(id bigint primary key, task_id bigint, dag_id bigint, note text);
    insert into public.lookups select g, g, null, 'n' from generate_series(1, 5000) g;
    create function public.dag_insert() returns trigger language plpgsql as $$
    begin
      insert into public.lookups (id, dag_id, note) values (new.id, new.id, 'dag');
      return new;
    end $$;
  )");
  db.exec_with_stats("analyze public.surveys, public.lookups");
  const auto result = db.audit({"not_null_candidate"});
  for (const auto* column : {"mode", "single_use", "hidden", "tags", "time_scope"}) {
    const auto& f = finding(result, "not_null_candidate", std::string("public.surveys.") + column);
    INFO(f.message);
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("default_only") == true);
    CHECK(f.message.find("; but every sampled row holds its default (") != std::string::npos);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
  }
  const auto& task = finding(result, "not_null_candidate", "public.lookups.task_id");
  INFO(task.message);
  CHECK(task.severity == model::Severity::info);
  CHECK(task.evidence.at("inserted_without_by") == "dag_insert");
  CHECK(task.message.find("; but dag_insert inserts rows into public.lookups without naming it") != std::string::npos);
  // controls: a default the rows moved away from, a column without one, a column the function names
  for (const auto* object : {"public.surveys.status", "public.surveys.title", "public.lookups.note"}) {
    const auto& f = finding(result, "not_null_candidate", object);
    INFO(object);
    CHECK(f.severity == model::Severity::low);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::script);
  }
}

TEST_CASE("not_null_candidate: a column whose NULL leaves a composite key's reference unchecked is medium, the key named",
          "[checks][versioned][not_null_candidate]")
{
  // Kong's targets (upstream_id, ws_id) -> upstreams(id, ws_id), MATCH SIMPLE: a row whose ws_id
  // is NULL is not checked at all, and the finding read like every other low one
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.upstreams(id int primary key, ws_id int not null, unique (id, ws_id));
    create table public.targets(id int primary key, upstream_id int, ws_id int, target text,
                                foreign key (upstream_id, ws_id) references public.upstreams(id, ws_id));
    insert into public.upstreams select g, g % 3 from generate_series(1, 400) g;
    insert into public.targets select g, g % 400 + 1, (g % 400 + 1) % 3, 't' || g from generate_series(1, 2000) g;
    -- the same key with one on upstream_id alone beside it (missing_fk's fix for a nullable tenant):
    -- a NULL ws_id leaves the tenant unchecked, not the reference
    create table public.checks(id int primary key, upstream_id int references public.upstreams(id), ws_id int,
                               foreign key (upstream_id, ws_id) references public.upstreams(id, ws_id));
    insert into public.checks select g, g % 400 + 1, (g % 400 + 1) % 3 from generate_series(1, 2000) g;
  )");
  db.exec_with_stats("analyze public.upstreams, public.targets, public.checks");
  const auto result = db.audit({"not_null_candidate"});
  const auto& ws = finding(result, "not_null_candidate", "public.targets.ws_id");
  INFO(ws.message);
  CHECK(ws.severity == model::Severity::medium);
  CHECK(ws.evidence.at("composite_foreign_key") == "targets_upstream_id_ws_id_fkey");
  CHECK(ws.message.find("; it is in foreign key targets_upstream_id_ws_id_fkey (upstream_id, ws_id), which checks nothing on "
                       "a row where any of them is NULL (MATCH SIMPLE): a NULL here would leave the row's reference through "
                       "the others unchecked") != std::string::npos);
  // controls: a NULL upstream_id references no upstream at all (ws_id alone is no key of the
  // parent), and a column in no such key
  CHECK(finding(result, "not_null_candidate", "public.targets.upstream_id").severity == model::Severity::low);
  CHECK(finding(result, "not_null_candidate", "public.targets.target").severity == model::Severity::low);
  const auto& beside = finding(result, "not_null_candidate", "public.checks.ws_id");
  CHECK(beside.severity == model::Severity::low);
  CHECK(beside.evidence["composite_foreign_key"].is_null());
  const auto fixed = run_fix_on_copy(db, ws);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(ws));
}

TEST_CASE("not_null_candidate: a default declared NULL is a state the schema allows, and a default fills what a function "
          "leaves out",
          "[checks][versioned][not_null_candidate]")
{
  // Authelia's V0010: ALTER COLUMN challenge_id DROP NOT NULL, SET DEFAULT NULL (a token with no
  // consent); Supabase Storage's objects.created_at, default now(), which can_insert_object leaves out
  ScratchDb db;
  db.plant("public", "select 1");
  db.exec_with_stats(R"(
    create table public.token(id bigint primary key, challenge_id char(36) default null, remote_ip varchar(39) default null,
                              note text);
    insert into public.token select g, md5(g::text)::uuid::text, '10.0.0.1', 'n' from generate_series(1, 5000) g;
    create table public.objects(id bigint primary key, name text, created_at timestamptz default now(), owner text);
    create function public.can_insert(n text) returns void language plpgsql as $$
    begin
      insert into public.objects(id, name) values (1, n);
    end $$;
    insert into public.objects select g, 'o' || g, now(), 'x' from generate_series(1, 5000) g;
  )");
  db.exec_with_stats("analyze public.token, public.objects");
  const auto result = db.audit({"not_null_candidate"});
  for (const auto* column : {"public.token.challenge_id", "public.token.remote_ip"}) {
    const auto& f = finding(result, "not_null_candidate", column);
    INFO(column);
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("null_default") == true);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
  }
  CHECK(finding(result, "not_null_candidate", "public.token.note").severity == model::Severity::low);
  // the function's rows take the default: nothing refused
  const auto& created = finding(result, "not_null_candidate", "public.objects.created_at");
  CHECK(created.severity == model::Severity::low);
  CHECK(created.evidence.at("inserted_without_by").is_null());
  const auto& owner = finding(result, "not_null_candidate", "public.objects.owner");
  CHECK(owner.severity == model::Severity::info);
  CHECK(owner.evidence.at("inserted_without_by") == "can_insert");
}
