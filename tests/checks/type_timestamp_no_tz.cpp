#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_timestamp_no_tz: flags timestamp without time zone columns", "[checks][versioned][type_timestamp_no_tz]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key, placed_at timestamp, shipped_at timestamp(0) without time zone,
                           paid_at timestamptz, due_on date);
    create index orders_placed_at_idx on $s.orders(placed_at);
    -- Temporal's executions_visibility: the column in many indexes, each rebuilt by the ALTER
    create index orders_id_placed_at_idx on $s.orders(id, placed_at);
  )");

  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto s = ident(schema);

  const auto& placed = finding(result, "type_timestamp_no_tz", ident(schema) + ".orders.placed_at");
  CHECK(placed.evidence["indexed"] == true);
  CHECK(placed.remediation.find("set timezone = 'UTC';") != std::string::npos);
  CHECK(placed.remediation.find("alter table " + s + ".orders alter column placed_at type timestamptz;") != std::string::npos);
  CHECK(placed.remediation.find("-- the ALTER rebuilds 2 indexes with the column under its lock: " + s + ".orders_id_placed_at_idx, " + s +
                                ".orders_placed_at_idx (") != std::string::npos);
  CHECK(placed.evidence["rebuilt_indexes"] == s + ".orders_id_placed_at_idx, " + s + ".orders_placed_at_idx");
  CHECK(placed.evidence["rebuilt_index_bytes"] == 16384);
  // from window_index_bytes of such indexes, the rebuild under the lock is for a window: advice
  auto config = audit::default_config();
  config.checks["type_timestamp_no_tz"].params["window_index_bytes"] = "16384";
  const auto& windowed = finding(db.audit({"type_timestamp_no_tz"}, config), "type_timestamp_no_tz", s + ".orders.placed_at");
  CHECK(model::remediation_kind(windowed.remediation) == model::RemediationKind::advice);
  CHECK(windowed.remediation.find("the ALTER rebuilds 16 kB of indexes with the column under an ACCESS EXCLUSIVE lock") !=
        std::string::npos);
  CHECK(windowed.undo == "-- nothing to undo: the advice runs nothing");
  CHECK(finding(result, "type_timestamp_no_tz", ident(schema) + ".orders.shipped_at").evidence["indexed"] == false);
  CHECK_FALSE(has_finding(result, "type_timestamp_no_tz", ident(schema) + ".orders.paid_at"));
  CHECK_FALSE(has_finding(result, "type_timestamp_no_tz", ident(schema) + ".orders.due_on"));
  CHECK(findings_of(result, "type_timestamp_no_tz").size() == 2);
}

TEST_CASE("type_timestamp_no_tz: a zone's wall-clock default becomes the instant, a precision below 6 dropped is said, and "
          "timestamp(6) keeps its own",
          "[checks][versioned][type_timestamp_no_tz]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // Oban's jobs: defaults that make UTC wall-clock time, and whole seconds
  db.plant(schema, R"(
    create table $s.jobs(id bigint primary key,
                         scheduled_at timestamp(0) not null default timezone('UTC', now()),
                         inserted_at timestamp default (now() at time zone 'utc'),
                         attempted_at timestamp default now());
    insert into $s.jobs(id) select g from generate_series(1, 10) g;
    -- Temporal's cluster_membership: a constant default, kept as a timestamp; and infinity
    create table $s.members(id bigint primary key, last_heartbeat timestamp default '1970-01-01 00:00:01+00:00',
                            expires_at timestamp default 'infinity');
    -- a default in another zone: the values are most likely its wall-clock times, not UTC
    create table $s.visits(id bigint primary key, seen_at timestamp default (now() at time zone 'Europe/Paris'));
    -- Rails 7's created_at: timestamp(6), the type's own precision
    create table $s.events(id bigint primary key, created_at timestamp(6) not null);
    insert into $s.events select g, now() from generate_series(1, 10) g;
  )");
  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto s = ident(schema);
  const auto& scheduled = finding(result, "type_timestamp_no_tz", s + ".jobs.scheduled_at");
  CHECK(scheduled.remediation.find("alter table " + s + ".jobs alter column scheduled_at type timestamptz, alter column "
                                   "scheduled_at set default now();") != std::string::npos);
  CHECK(scheduled.remediation.find("-- its precision is not kept: timestamptz(0) would rewrite the table") != std::string::npos);
  CHECK(scheduled.remediation.find("-- its default timezone('UTC'::text, now()) is the wall-clock time of a zone") !=
        std::string::npos);
  // back to timestamp without the precision: timestamp(0) would round every row, a rewrite (Plausible); said in a comment
  CHECK(scheduled.undo.find("alter column scheduled_at type timestamp without time zone, alter column scheduled_at set "
                            "default timezone('UTC'::text, now());") != std::string::npos);
  CHECK(scheduled.undo.find("\n-- it was timestamp(0) without time zone: to declare that precision again (it rounds every row") !=
        std::string::npos);
  const auto& inserted = finding(result, "type_timestamp_no_tz", s + ".jobs.inserted_at");
  CHECK(inserted.remediation.find("type timestamptz, alter column inserted_at set default now();") != std::string::npos);
  // now() on a timestamp column is the session's wall clock: on timestamptz, the instant as it is
  const auto& attempted = finding(result, "type_timestamp_no_tz", s + ".jobs.attempted_at");
  CHECK(attempted.remediation.find("set default") == std::string::npos);

  // The default writes Paris wall-clock times: read as UTC, the rows would shift by an hour or two.
  const auto& seen = finding(result, "type_timestamp_no_tz", s + ".visits.seen_at");
  INFO(seen.remediation);
  CHECK(model::remediation_kind(seen.remediation) == model::RemediationKind::advice);
  CHECK(seen.evidence["default_zone"] == "Europe/Paris");
  CHECK(seen.message.find("writes wall-clock times of Europe/Paris") != std::string::npos);
  CHECK(seen.remediation.find("type timestamptz using seen_at at time zone 'Europe/Paris', alter column seen_at set default now();") !=
        std::string::npos);
  CHECK(seen.undo == "-- nothing to undo: the advice runs nothing");

  // A constant would be read in each inserting session's zone once the column is timestamptz (a
  // session in New York wrote 05:00:01 UTC): it becomes the wall-clock time read as UTC, as the rows are.
  for (const auto* column : {"last_heartbeat", "expires_at"}) {
    const auto& member = finding(result, "type_timestamp_no_tz", s + ".members." + column);
    INFO(member.remediation);
    CHECK(member.remediation.find(std::string("alter column ") + column + " set default ('") != std::string::npos);
    const auto fixed = run_fix_on_copy(db, member);
    CHECK(fixed.problems().empty());
    CHECK(fixed.copy->scalar(with_schema(schema, std::string("set timezone = 'America/New_York'; insert into $s.members(id) "
                                                             "values (1); set timezone = 'UTC'; select ") + column +
                                                     "::text from $s.members where id = 1"))
          == (std::string(column) == "expires_at" ? "infinity" : "1970-01-01 00:00:01+00"));
    check_undo_gives_back(db, *fixed.copy, member.undo);
  }

  // timestamp(6) keeps its precision both ways, with no rewrite (gisia's, a GitLab-derived Rails
  // schema: its 150 columns came back as timestamp, another schema than the original)
  const auto& created = finding(result, "type_timestamp_no_tz", s + ".events.created_at");
  CHECK(created.remediation.find("alter table " + s + ".events alter column created_at type timestamptz(6);") != std::string::npos);
  CHECK(created.remediation.find("precision") == std::string::npos);
  CHECK(created.undo.find("alter table " + s + ".events alter column created_at type timestamp(6) without time zone;") !=
        std::string::npos);
  CHECK(created.undo.find("precision") == std::string::npos);
  {
    const auto fixed = check_fix_runs(db, created.remediation);
    const auto filenode = with_schema(schema, "select pg_relation_filenode('$s.events')");
    CHECK(fixed.copy->scalar(filenode) == db.scalar(filenode));
    CHECK(fixed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = "
                                                 "'$s.events'::regclass and attname = 'created_at'")) ==
          "timestamp(6) with time zone");
    check_undo_gives_back(db, *fixed.copy, created.undo);
    CHECK(fixed.copy->scalar(filenode) == db.scalar(filenode));
  }

  for (const auto* f : {&scheduled, &inserted}) {
    INFO(f->object << "\n" << f->remediation);
    const auto fixed = run_fix_on_copy(db, *f);
    CHECK(fixed.problems().empty());
    // A row written by a session in another zone holds the instant it was written.
    // Catalog-only: the table keeps its file (a copy made with TEMPLATE keeps the file numbers).
    const auto filenode = with_schema(schema, "select pg_relation_filenode('$s.jobs')");
    CHECK(fixed.copy->scalar(filenode) == db.scalar(filenode));
    const auto column = f->object.substr(f->object.rfind('.') + 1);
    CHECK(fixed.copy->scalar(with_schema(schema, "set timezone = 'America/New_York'; insert into $s.jobs(id) values (100);"
                                                 "select abs(extract(epoch from now() - " + column +
                                                 ")) < 5 from $s.jobs where id = 100")) == "t");
    // the undo is catalog-only too (Plausible: back to timestamp(0) it rewrote the table)
    const auto undone = run_psql_script(*fixed.copy, f->undo);
    INFO(undone.output);
    CHECK(undone.errors().empty());
    CHECK(fixed.copy->scalar(filenode) == db.scalar(filenode));
    CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from pg_attribute where attrelid = '$s.jobs'::regclass and "
                                                 "atttypid = 'timestamptz'::regtype")) == "0");
  }
}

TEST_CASE("type_timestamp_no_tz: the change runs around views, and is not printed under expression or partial "
          "indexes nor on a partition key", "[checks][versioned][type_timestamp_no_tz][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invoices(id bigint primary key, issued_at timestamp, due_at timestamp, paid_at timestamp,
                             voided_at timestamp);
    insert into $s.invoices select g, '2024-01-01'::timestamp + g * interval '1 hour', null, null, null
      from generate_series(1, 100) g;
    create index invoices_issued_at_idx on $s.invoices(issued_at);
    create view $s.recent_invoices as select id, issued_at from $s.invoices where issued_at > '2024-01-02';
    create index invoices_due_on_idx on $s.invoices(date(due_at));
    create index invoices_unpaid_idx on $s.invoices(id) where paid_at > '2024-01-01';
    create table $s.readings(id bigint not null, taken_at timestamp not null) partition by range (taken_at);
    create materialized view $s.voided_days as select date_trunc('day', voided_at) as day, count(*) from $s.invoices group by 1;
    -- controls, rebuilt as they are for timestamptz: a soft-delete predicate on the column (a
    -- unique rule), and the column as a key beside a predicate on another
    alter table $s.invoices add column closed_at timestamp, add column archived_at timestamp;
    create unique index invoices_one_open_idx on $s.invoices(issued_at) where closed_at is null;
    create index invoices_archived_idx on $s.invoices(archived_at) where id > 10;
  )");
  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto findings = findings_of(result, "type_timestamp_no_tz");
  REQUIRE(findings.size() == 7);
  CHECK(finding(result, "type_timestamp_no_tz", ident(schema) + ".invoices.closed_at").evidence["expression_indexes"].is_null());
  CHECK(finding(result, "type_timestamp_no_tz", ident(schema) + ".invoices.archived_at").evidence["expression_indexes"].is_null());
  const auto& due = finding(result, "type_timestamp_no_tz", ident(schema) + ".invoices.due_at");
  CHECK(due.evidence["expression_indexes"] == ident(schema) + ".invoices_due_on_idx");
  CHECK(due.remediation.find("not IMMUTABLE for timestamptz") != std::string::npos);
  CHECK(due.message.find("; index " + ident(schema) + ".invoices_due_on_idx has an expression or predicate over it that "
                         "fails to rebuild for timestamptz: recreate it") != std::string::npos);
  CHECK(finding(result, "type_timestamp_no_tz", ident(schema) + ".invoices.paid_at").evidence["expression_indexes"] ==
        ident(schema) + ".invoices_unpaid_idx");
  CHECK(finding(result, "type_timestamp_no_tz", ident(schema) + ".readings.taken_at").evidence["partition_key"] == true);
  CHECK(finding(result, "type_timestamp_no_tz", ident(schema) + ".invoices.issued_at").evidence["dependent_views"] ==
        "view " + ident(schema) + ".recent_invoices");

  const auto& voided = finding(result, "type_timestamp_no_tz", ident(schema) + ".invoices.voided_at");
  CHECK(voided.evidence["dependent_views"] == "materialized view " + ident(schema) + ".voided_days");
  CHECK(voided.message.find("voided_days reads it: the change drops and recreates it in its transaction") != std::string::npos);

  // What PostgreSQL refuses (a partition key's type, an index that fails to rebuild) gets advice:
  // comments only (model::remediation_kind), which run nothing and leave the finding; the others,
  // a column a view or a materialized view reads among them, get a script that fixes it.
  for (const auto& f : findings) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    CHECK(fixed.problems().empty());
    if (f.object == voided.object) {
      CHECK(fixed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                                   "where attrelid = '$s.voided_days'::regclass and attname = 'day'"))
            == "timestamp with time zone");
    }
    const bool refused = f.evidence["partition_key"] == true || !f.evidence["expression_indexes"].is_null();
    CHECK((model::remediation_kind(f.remediation) == model::RemediationKind::advice) == refused);
    CHECK(fixed.still_reported(f) == refused);
    if (refused) {
      CHECK(f.undo == "-- nothing to undo: the advice runs nothing");
      continue;
    }
    // The undo changes the column back the same way, without a rewrite (the table keeps its
    // file), the views that read it made again over it, and the finding is back.
    const auto column = f.object.substr(f.object.rfind('.') + 1);
    const auto type_of = [&](const std::string& relation, const std::string& attname) {
      return fixed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = '" +
                                                        relation + "'::regclass and attname = '" + attname + "'"));
    };
    const auto file_before = fixed.copy->scalar(with_schema(schema, "select relfilenode from pg_class where oid = '$s.invoices'::regclass"));
    CHECK(type_of("$s.invoices", column) == "timestamp with time zone");
    CHECK(run_psql_script(*fixed.copy, f.undo).errors().empty());
    CHECK(type_of("$s.invoices", column) == "timestamp without time zone");
    CHECK(fixed.copy->scalar(with_schema(schema, "select relfilenode from pg_class where oid = '$s.invoices'::regclass")) == file_before);
    if (f.object == voided.object) {
      CHECK(type_of("$s.voided_days", "day") == "timestamp without time zone");
    }
    CHECK(fixed.still_reported(f));
  }
}

TEST_CASE("type_timestamp_no_tz: no change is printed under a generated column or a policy that reads the column, nor on "
          "a generated column",
          "[checks][versioned][type_timestamp_no_tz]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // PostgreSQL refuses ALTER COLUMN TYPE under both ("cannot alter type of a column used by a
  // generated column", "... used in a policy definition")
  db.plant(schema, R"(
    create table $s.people(id bigint primary key, born timestamp, seen timestamp, joined timestamp,
                           born_year int generated always as (extract(year from born)::int) stored,
                           born_at timestamp generated always as (date_trunc('day', seen)) stored);
    alter table $s.people enable row level security;
    create policy recent on $s.people using (seen > '2020-01-01');
    insert into $s.people(id, born, seen, joined) select g, now(), now(), now() from generate_series(1, 100) g;
  )");
  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto s = ident(schema);
  for (const auto& [column, name] : {std::pair{"born", "generated column born_year"},
                                     std::pair{"seen", "policy recent on "}}) {
    const auto& f = finding(result, "type_timestamp_no_tz", s + ".people." + column);
    INFO(f.remediation);
    CHECK(f.message.find(name) != std::string::npos);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
    CHECK(run_fix_on_copy(db, f).problems().empty()); // advice runs nothing
  }
  // a generated column itself: the fix would leave its expression making timestamps, read in
  // each writer's time zone
  const auto& year = finding(result, "type_timestamp_no_tz", s + ".people.born_at");
  CHECK(year.message.find("it is a generated column") != std::string::npos);
  CHECK(model::remediation_kind(year.remediation) == model::RemediationKind::advice);
  // control: nothing reads it
  const auto& joined = finding(result, "type_timestamp_no_tz", s + ".people.joined");
  CHECK(model::remediation_kind(joined.remediation) == model::RemediationKind::script);
  const auto fixed = run_fix_on_copy(db, joined);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(joined));
}

TEST_CASE("type_timestamp_no_tz: no change is printed under a CHECK that reads the column through a function, a cast "
          "or a literal, which would read each writer's time zone",
          "[checks][versioned][type_timestamp_no_tz]")
{
  // Rallly's scheduled_events: all_day_is_utc_midnight (date_trunc('day', start) = start) held for
  // UTC midnights; after the change, every all-day write from a session outside UTC failed it
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.events(id bigint primary key, start timestamp not null, "end" timestamp not null,
                           all_day boolean not null default false,
                           constraint all_day_is_utc_midnight check (not all_day or (date_trunc('day', start) = start
                                                                     and date_trunc('day', "end") = "end" and "end" > start)));
    create table $s.jobs(id bigint primary key, status text, completed_at timestamp, started_at timestamp,
                         due_on timestamp, opened timestamp,
                         check (status <> 'done' or completed_at is not null), check (completed_at > started_at),
                         check (due_on::date > '2020-01-01'), check (opened > '2020-01-01'::timestamp));
    insert into $s.events values (1, '2026-01-01', '2026-01-02', true);
    insert into $s.jobs values (1, 'done', '2026-01-02', '2026-01-01', '2026-02-01', '2026-01-01');
  )");
  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto s = ident(schema);
  const auto& start = finding(result, "type_timestamp_no_tz", s + ".events.start");
  INFO(start.remediation);
  CHECK(start.evidence.at("zone_checks") == "all_day_is_utc_midnight");
  CHECK(start.message.find("CHECK all_day_is_utc_midnight reads it through a function, a cast or a literal") != std::string::npos);
  CHECK(model::remediation_kind(start.remediation) == model::RemediationKind::advice);
  CHECK(start.remediation.find("date_trunc('day', start, 'UTC')") != std::string::npos);
  CHECK(start.undo == "-- nothing to undo: the advice runs nothing");
  for (const auto* column : {"due_on", "opened"}) {
    INFO(column);
    CHECK(model::remediation_kind(finding(result, "type_timestamp_no_tz", s + ".jobs." + column).remediation) ==
          model::RemediationKind::advice);
  }
  // controls: a literal elsewhere in the check, a comparison of two columns: changed, and a write
  // from a session outside UTC still passes
  ScratchDb copy(db.name());
  for (const auto* column : {"completed_at", "started_at"}) {
    const auto& f = finding(result, "type_timestamp_no_tz", s + ".jobs." + column);
    INFO(f.remediation);
    CHECK(f.evidence.at("zone_checks").is_null());
    CHECK(run_psql_script(copy, f.remediation).errors().empty());
  }
  CHECK(run_psql_script(copy, with_schema(schema, "set timezone = 'Asia/Tokyo';\n"
                                                  "insert into $s.jobs(id, status, completed_at, started_at) "
                                                  "values (2, 'done', now(), now() - interval '1 hour');"))
            .errors()
            .empty());
}

TEST_CASE("type_timestamp_no_tz: no change is printed under a trigger whose UPDATE OF list or WHEN clause names the column",
          "[checks][versioned][type_timestamp_no_tz]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.blocks(id int primary key, imported_at timestamp, checked_at timestamp, created_at timestamp);
    create function $s.touch() returns trigger language plpgsql as $$begin return new; end$$;
    create trigger blocks_imported before update of imported_at on $s.blocks for each row execute function $s.touch();
    create trigger blocks_checked before update on $s.blocks for each row when (new.checked_at is not null)
      execute function $s.touch();
    insert into $s.blocks select g, now(), now(), now() from generate_series(1, 10) g;
  )");
  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto s = ident(schema);
  for (const auto& [column, trigger] : {std::pair{"imported_at", "trigger blocks_imported on "},
                                        std::pair{"checked_at", "trigger blocks_checked on "}}) {
    const auto& f = finding(result, "type_timestamp_no_tz", s + ".blocks." + column);
    INFO(f.remediation);
    CHECK(f.message.find(trigger) != std::string::npos);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
  }
  // control: no trigger names it
  const auto& created = finding(result, "type_timestamp_no_tz", s + ".blocks.created_at");
  const auto fixed = run_fix_on_copy(db, created);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(created));
}

TEST_CASE("type_timestamp_no_tz: no change is printed while an invalid index is on the column (the change would rebuild "
          "it under its lock)",
          "[checks][versioned][type_timestamp_no_tz]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.events(id int primary key, at timestamp, seen timestamp);
    insert into $s.events select g, timestamp '2025-01-01' + (g % 10) * interval '1 day', now() from generate_series(1, 100) g;
  )");
  const auto failed = run_psql_script(db, with_schema(schema, "create unique index concurrently events_at_key on $s.events (at);"));
  REQUIRE(failed.errors().size() == 1);
  const auto result = db.audit({"type_timestamp_no_tz"});
  const auto& at = finding(result, "type_timestamp_no_tz", ident(schema) + ".events.at");
  INFO(at.remediation);
  CHECK(at.message.find("invalid index " + ident(schema) + ".events_at_key on it would be rebuilt") != std::string::npos);
  CHECK(model::remediation_kind(at.remediation) == model::RemediationKind::advice);
  CHECK(model::remediation_kind(finding(result, "type_timestamp_no_tz", ident(schema) + ".events.seen").remediation) ==
        model::RemediationKind::script);
}

TEST_CASE("type_timestamp_no_tz: off UTC the change is advice, the database's zone named", "[checks][versioned][type_timestamp_no_tz]")
{
  // listmonk on Asia/Kolkata: now() wrote local times, which the change made in a UTC session moved
  // five and a half hours; Europe/London is UTC in January only
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.sessions(id text primary key, created_at timestamp not null default now());
    insert into public.sessions values ('a');
    -- Rails' timestamp(6): the advice keeps its precision, as the script does
    create table public.visits(id text primary key, created_at timestamp(6) not null);
  )");
  const auto in_zone = [&](const std::string& zone) {
    db.exec("alter database " + db.name() + " set timezone = '" + zone + "'");
    return db.audit({"type_timestamp_no_tz"});
  };
  for (const std::string zone : {"Asia/Kolkata", "Europe/London"}) {
    const auto result = in_zone(zone);
    const auto& f = finding(result, "type_timestamp_no_tz", "public.sessions.created_at");
    INFO(zone << "\n" << f.remediation);
    CHECK(f.evidence.at("database_timezone") == zone);
    CHECK(f.message.find("the database's time zone is " + zone + ", not UTC") != std::string::npos);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
    CHECK(f.remediation.find("set timezone = '" + zone + "'; (or 'UTC') alter table public.sessions alter column "
                             "created_at type timestamptz;") != std::string::npos);
    CHECK(f.undo == "-- nothing to undo: the advice runs nothing");
    CHECK(finding(result, "type_timestamp_no_tz", "public.visits.created_at")
            .remediation.find("alter table public.visits alter column created_at type timestamptz(6);") != std::string::npos);
  }
  // control: UTC under another name, a script
  const auto utc_result = in_zone("Etc/UTC");
  const auto& utc = finding(utc_result, "type_timestamp_no_tz", "public.sessions.created_at");
  CHECK(model::remediation_kind(utc.remediation) == model::RemediationKind::script);
  CHECK(utc.message.find("not UTC") == std::string::npos);
}
