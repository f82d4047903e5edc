#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_int_key: flags integer primary keys on tables of real size, by size, and its fix prepares the new key",
          "[checks][type_int_key][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.events(id serial primary key, kind text, parent_id int references $s.events on delete set null);
    insert into $s.events(kind) select 'click' from generate_series(1, 3000);
    update $s.events set parent_id = id - 1 where id > 1;
    create table $s.event_tags(event_id int not null references $s.events on delete cascade deferrable, tag text);
    insert into $s.event_tags select g, 't' from generate_series(1, 100) g;
    create table $s.page_views(id integer primary key, path text);
    insert into $s.page_views select g, '/p/' || g from generate_series(1, 12000) g;
    -- controls: bigint key; integer key on a small table
    create table $s.sessions(id bigint primary key);
    insert into $s.sessions select generate_series(1, 3000);
    create table $s.countries(id integer primary key, name text);
    insert into $s.countries values (1, 'France'), (2, 'Japan');
  )");
  db.exec_with_stats("analyze");

  auto config = audit::default_config();
  config.checks["type_int_key"].params["min_rows"] = "1000";
  config.checks["type_int_key"].params["medium_rows"] = "10000";
  const auto result = db.audit({"type_int_key"}, config);
  const auto s = ident(schema);

  const auto& events = finding(result, "type_int_key", ident(schema) + ".events.id");
  CHECK(events.severity == model::Severity::low);
  CHECK(events.remediation.find("alter table " + s + ".events add column if not exists id_bigint bigint;") != std::string::npos);
  CHECK(events.remediation.find("alter sequence " + s + ".events_id_seq as bigint") != std::string::npos);
  CHECK(finding(result, "type_int_key", ident(schema) + ".page_views.id").severity == model::Severity::medium);
  CHECK_FALSE(has_finding(result, "type_int_key", ident(schema) + ".sessions.id"));
  CHECK_FALSE(has_finding(result, "type_int_key", ident(schema) + ".countries.id"));
  CHECK(findings_of(result, "type_int_key").size() == 2);

  // The fix as printed: the new column kept in sync by a trigger and filled, NOT NULL as a
  // validated check, the key's unique index built on it concurrently; then the swap moves the
  // primary key to that index, drops the foreign keys that reference it (a child's and its own
  // self-reference) and adds them again after the renames, NOT VALID, validated after, with their
  // actions and deferrability; the serial default and its sequence move to the new column.
  const auto swapped = run_fix_on_copy(db, events);
  INFO(swapped.run.output);
  CHECK(swapped.run.errors().empty());
  CHECK(swapped.weakened.empty());
  CHECK(swapped.invalid.empty());
  CHECK_FALSE(has_finding(swapped.copy->audit({"type_int_key"}, config), "type_int_key", ident(schema) + ".events.id"));
  // the undo, once the swap has run: it stops and says so, rather than finding nothing to drop
  {
    const auto undone = run_psql_script(*swapped.copy, events.undo);
    REQUIRE(undone.errors().size() == 1);
    CHECK(undone.errors()[0].find("the swap has run, deprecated_id holds the old values") != std::string::npos);
  }
  const auto keys = swapped.copy->scalar(with_schema(schema, "select string_agg(conname || ' ' || regexp_replace(pg_get_constraintdef(oid), 'REFERENCES .*events\\(', "
                                                 "'REFERENCES events(') || ' ' || convalidated, '; ' "
                                                 "order by conname) from pg_constraint where confrelid = '$s.events'::regclass "
                                                 "or (conrelid = '$s.events'::regclass and contype = 'p')"));
  INFO(keys.value_or("(null)"));
  CHECK(keys == "event_tags_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE DEFERRABLE true; "
           "events_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES events(id) ON DELETE SET NULL true; "
           "events_pkey PRIMARY KEY (id) true");
  swapped.copy->exec(with_schema(schema, "insert into $s.events(kind) values ('late')"));
  CHECK(swapped.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                                 "where attrelid = '$s.events'::regclass and attname = 'id'")) == "bigint");
  CHECK(swapped.copy->scalar(with_schema(schema, "select max(id) from $s.events")) == "3001");
  CHECK(swapped.copy->scalar(with_schema(schema, "select pg_get_serial_sequence('$s.events', 'id')")) ==
        ident(schema) + ".events_id_seq");

  // The default threshold (a million rows) leaves these small tables alone.
  CHECK(findings_of(db.audit({"type_int_key"}), "type_int_key").empty());
}

TEST_CASE("type_int_key with type_serial on one key: one entry, widened first, then the next audit's identity, and the "
          "serial fix run first stops the swap before it changes anything",
          "[checks][type_int_key][type_serial][roundtrip]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table orders(id serial primary key, note text);
    insert into orders(note) select 'n' || g from generate_series(1, 2000) g;
  )");
  db.exec_with_stats("analyze");
  auto config = audit::default_config();
  config.checks["type_int_key"].params["min_rows"] = "1000";
  const auto result = db.audit({"type_int_key", "type_serial"}, config);
  const auto int_key = finding(result, "type_int_key", "public.orders.id");
  CHECK_FALSE(has_finding(result, "type_serial", "public.orders.id"));
  CHECK(int_key.evidence.contains("type_serial"));
  CHECK(int_key.message.find("; it is a serial too (type_serial): once it is bigint, the next audit prints the "
                             "catalog-only change to an identity") != std::string::npos);
  const auto column = [](const ScratchDb& copy) {
    return copy.scalar("select format_type(atttypid, atttypmod) || ' ' || attidentity::text from pg_attribute "
                       "where attrelid = 'orders'::regclass and attname = 'id'");
  };

  // The entry's fix: the swap moves the sequence default to the bigint column; the next audit
  // has the serial's change to an identity on its own, which then runs.
  const auto widened = run_fix_on_copy(db, int_key.remediation);
  INFO(widened.run.output);
  CHECK(widened.problems().empty());
  CHECK(column(*widened.copy) == "bigint ");
  const auto next = widened.copy->audit({"type_int_key", "type_serial"}, config);
  CHECK_FALSE(has_finding(next, "type_int_key", "public.orders.id"));
  const auto serial = finding(next, "type_serial", "public.orders.id");
  const auto made_identity = run_psql_script(*widened.copy, serial.remediation);
  INFO(made_identity.output);
  CHECK(made_identity.errors().empty());
  CHECK(column(*widened.copy) == "bigint d");

  // The serial fix first (an audit of type_serial alone prints it): the key's swap, made for a
  // sequence default, finds an identity and stops before it changes anything, with what to do;
  // the script of a new audit finishes the move.
  const auto serial_alone = finding(db.audit({"type_serial"}, config), "type_serial", "public.orders.id");
  const auto serial_first = run_fix_on_copy(db, serial_alone.remediation + "\n" + int_key.remediation);
  const auto errors = serial_first.run.errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("public.orders.id: it was not an identity column when this script was made and is now: audit "
                       "again") != std::string::npos);
  CHECK(column(*serial_first.copy) == "integer d");
  const auto again = finding(serial_first.copy->audit({"type_int_key"}, config), "type_int_key", "public.orders.id");
  const auto rerun = run_psql_script(*serial_first.copy, again.remediation);
  INFO(rerun.output);
  CHECK(rerun.errors().empty());
  CHECK(column(*serial_first.copy) == "bigint d");
  serial_first.copy->exec("insert into orders(note) values ('after')");
  CHECK(serial_first.copy->scalar("select id > 2000 from orders where note = 'after'") == "t");
}

TEST_CASE("type_int_key: a partitioned table's rows are its partitions'", "[checks][type_int_key]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    -- an integer key that is also the partition key (PostgreSQL wants the partition key in the
    -- primary key): the table's own estimate stays -1 and its counters count nothing
    create table readings(id integer primary key, value text) partition by range (id);
    create table readings_1 partition of readings for values from (1) to (100000);
    insert into readings select g, 'r' from generate_series(1, 3000) g;
    -- control: partitioned, integer key, small
    create table settings(id integer primary key, value text) partition by range (id);
    create table settings_1 partition of settings for values from (1) to (100000);
    insert into settings select g, 's' from generate_series(1, 20) g;
  )");
  db.exec_with_stats("analyze readings_1, settings_1");
  auto config = audit::default_config();
  config.checks["type_int_key"].params["min_rows"] = "1000";
  const auto result = db.audit({"type_int_key"}, config);
  const auto readings = finding(result, "type_int_key", "public.readings.id");
  CHECK(readings.evidence["rows_estimate"] == 3000);
  // the expand-contract swap cannot move a partition key: advice, what it would take
  CHECK(model::remediation_kind(readings.remediation) == model::RemediationKind::advice);
  CHECK(readings.remediation.find("the partition key of") != std::string::npos);
  CHECK_FALSE(has_finding(result, "type_int_key", "public.settings.id"));
}
