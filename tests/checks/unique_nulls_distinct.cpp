#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

// Hoppscotch's collection order keys: deferrable, so a reorder can swap two positions in one
// transaction; a request order key that is not; a soft-delete key on a plain unique index; and
// the controls: a key that is "unique when present" on purpose (an optional external id), a tree
// whose roots have a partial unique index of their own, a partial key without the NULL rows, a
// key NULLS NOT DISTINCT already (from PostgreSQL 15, below), a single column, an expression,
// keys that hold another unique key of NOT NULL columns
const char* const k_plant = R"(
  create table $s.teams(id bigint primary key);
  create table $s.collections(id bigint primary key, team_id bigint not null references $s.teams(id),
    parent_id bigint references $s.collections(id), order_index int not null,
    constraint collections_order_key unique (team_id, parent_id, order_index) deferrable initially deferred);
  comment on constraint collections_order_key on $s.collections is 'one position per parent';
  create table $s.requests(id bigint primary key, collection_id bigint references $s.collections(id), order_index int not null,
    constraint requests_order_key unique (collection_id, order_index));
  create table $s.accounts(id bigint primary key, user_id bigint not null, "deletedAt" timestamptz);
  create unique index accounts_user_live on $s.accounts(user_id, "deletedAt") with (fillfactor = 80);
  comment on index $s.accounts_user_live is 'one live account per user';
  -- no NULL seen yet: info
  create table $s.tags(id bigint primary key, team_id bigint not null references $s.teams(id),
    archived_at timestamptz, name text not null, unique (team_id, name, archived_at));
  -- controls
  create table $s.links(id bigint primary key, team_id bigint not null references $s.teams(id), external_id text,
    unique (team_id, external_id));
  create table $s.folders(id bigint primary key, parent_id bigint references $s.folders(id), name text not null,
    unique (parent_id, name));
  create unique index folders_root_name on $s.folders(name) where parent_id is null;
  create table $s.pins(id bigint primary key, parent_id bigint references $s.pins(id), slot int not null);
  create unique index pins_slot on $s.pins(parent_id, slot) where parent_id is not null;
  create table $s.notes(id bigint primary key, parent_id bigint references $s.notes(id) unique, body text);
  create unique index notes_parent_lower on $s.notes(parent_id, lower(body));
  -- a key that holds the primary key (Keygen's keys: unique (id, created_at, account_id)), and one
  -- that holds another unique key of NOT NULL columns: no two rows can share them, NULLs or not
  create table $s.licenses(id uuid primary key, code text not null unique, created_at timestamp,
    team_id bigint references $s.teams(id));
  create unique index licenses_id_created_team on $s.licenses(id, created_at, team_id);
  create unique index licenses_team_code on $s.licenses(team_id, code);
  insert into $s.teams values (1), (2);
  insert into $s.collections values (1, 1, null, 1), (2, 1, null, 2), (3, 1, 1, 1), (4, 2, null, 1);
  insert into $s.requests values (1, null, 1), (2, 1, 1), (3, 1, 2);
  insert into $s.accounts values (1, 1, null), (2, 1, now()), (3, 2, null);
  insert into $s.tags values (1, 1, now(), 'old');
  insert into $s.links values (1, 1, null), (2, 1, null);
  insert into $s.folders values (1, null, 'a'), (2, null, 'b'), (3, 1, 'a');
  insert into $s.pins values (1, null, 1), (2, null, 1);
  insert into $s.licenses values ('00000000-0000-0000-0000-000000000001', 'a', now(), null),
    ('00000000-0000-0000-0000-000000000002', 'b', now(), null);
  analyze;
)";

bool nulls_not_distinct_server(const ScratchDb& db)
{
  return std::stoi(db.scalar("show server_version_num").value_or("0")) >= 150000;
}

} // namespace

TEST_CASE("unique_nulls_distinct: a unique key whose parent or soft-delete column is NULL becomes NULLS NOT DISTINCT "
          "under its name, and the undo gives it back",
          "[checks][versioned][unique_nulls_distinct][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  if (nulls_not_distinct_server(db)) {
    db.exec(with_schema(schema, "create table $s.marks(id bigint primary key, parent_id bigint references $s.marks(id), "
                                "slot int not null, unique nulls not distinct (parent_id, slot))"));
  }
  const auto result = db.audit({"unique_nulls_distinct"});
  const auto s = ident(schema);
  const auto rows = findings_of(result, "unique_nulls_distinct");
  CHECK(rows.size() == 4);

  const auto& order = finding(result, "unique_nulls_distinct", s + ".collections_order_key");
  CHECK(order.severity == model::Severity::low);
  CHECK(order.message.find("unique constraint collections_order_key on " + ident(schema) +
                           ".collections (team_id, parent_id, order_index) lets rows repeat where parent_id is NULL") !=
        std::string::npos);
  CHECK(order.evidence.at("deferrable") == true);
  const auto& live = finding(result, "unique_nulls_distinct", s + ".accounts_user_live");
  CHECK(live.severity == model::Severity::low);
  CHECK(live.evidence.at("null_columns") == nlohmann::json::array({"deletedAt"}));
  CHECK(has_finding(result, "unique_nulls_distinct", s + ".requests_order_key"));
  CHECK(finding(result, "unique_nulls_distinct", s + ".tags_team_id_name_archived_at_key").severity == model::Severity::info);
  for (const auto* control : {"links_team_id_external_id_key", "folders_parent_id_name_key", "pins_slot",
                              "marks_parent_id_slot_key", "notes_parent_id_key", "notes_parent_lower"}) {
    INFO(control);
    CHECK_FALSE(has_finding(result, "unique_nulls_distinct", s + "." + control));
  }

  if (!nulls_not_distinct_server(db)) {
    // before PostgreSQL 15: advice, nothing run
    CHECK(order.remediation.find("PostgreSQL 15 is the first to have NULLS NOT DISTINCT") != std::string::npos);
    CHECK(order.remediation.find("parent_id is null") != std::string::npos);
    CHECK(order.undo == "-- nothing was changed");
    return;
  }

  // the fixes run together: each key is NULLS NOT DISTINCT under its name, with its comments
  ScratchDb copy(db.name());
  const auto before = key_constraints(copy);
  for (const auto& f : rows) {
    INFO(f.remediation);
    CHECK(run_psql_script(copy, f.remediation).errors().empty());
  }
  CHECK(weakened_constraints(before, key_constraints(copy)).empty());
  CHECK(invalid_indexes(copy).empty());
  CHECK(findings_of(copy.audit({"unique_nulls_distinct"}), "unique_nulls_distinct").empty());
  CHECK(copy.scalar(with_schema(schema, "select pg_get_constraintdef(oid) from pg_constraint "
                                        "where conrelid = '$s.collections'::regclass and conname = 'collections_order_key'")) ==
        "UNIQUE NULLS NOT DISTINCT (team_id, parent_id, order_index) DEFERRABLE INITIALLY DEFERRED");
  CHECK(copy.scalar(with_schema(schema, "select obj_description(oid, 'pg_constraint') from pg_constraint "
                                        "where conrelid = '$s.collections'::regclass and conname = 'collections_order_key'")) ==
        "one position per parent");
  CHECK(copy.scalar(with_schema(schema, "select obj_description('$s.accounts_user_live'::regclass, 'pg_class')")) ==
        "one live account per user");
  CHECK(copy.scalar(with_schema(schema, "select pg_get_indexdef('$s.accounts_user_live'::regclass) ~ "
                                        "'NULLS NOT DISTINCT WITH \\(fillfactor=''80''\\)$'")) == "t");
  CHECK(copy.scalar(with_schema(schema, "select contype from pg_constraint where conname = 'requests_order_key'")) == "u");

  // the application's writes: a deferred swap of two roots' positions still commits; a second
  // root at a taken position, and a second live account, are refused now
  CHECK(run_psql_script(copy, with_schema(schema, "begin;\n"
                                                  "update $s.collections set order_index = 2 where id = 1;\n"
                                                  "update $s.collections set order_index = 1 where id = 2;\n"
                                                  "commit;"))
            .errors()
            .empty());
  CHECK_THROWS(copy.exec(with_schema(schema, "insert into $s.collections values (9, 1, null, 1)")));
  CHECK_THROWS(copy.exec(with_schema(schema, "insert into $s.accounts values (9, 1, null)")));
  copy.exec(with_schema(schema, "insert into $s.accounts values (9, 1, now())"));
  copy.exec(with_schema(schema, "delete from $s.accounts where id = 9; "
                                "update $s.collections set order_index = id where id in (1, 2)"));

  // run again, nothing changes
  for (const auto& f : rows) {
    const auto again = run_again(copy, f.remediation);
    INFO(again.run.output);
    CHECK(again.run.errors().empty());
    CHECK(again.changed.empty());
  }
  // the undos give every definition back, and run again change nothing
  for (const auto& f : rows) {
    INFO(f.undo);
    CHECK(run_psql_script(copy, f.undo).errors().empty());
    const auto again = run_again(copy, f.undo);
    CHECK(again.run.errors().empty());
    CHECK(again.changed.empty());
  }
  CHECK(definition_changes(schema_definitions(db), schema_definitions(copy)).empty());
  CHECK(copy.scalar(with_schema(schema, "select obj_description(oid, 'pg_constraint') from pg_constraint "
                                        "where conrelid = '$s.collections'::regclass and conname = 'collections_order_key'")) ==
        "one position per parent");
}

TEST_CASE("unique_nulls_distinct: the fix stops when rows repeat with a NULL there, and the twin whose build fails is "
          "dropped, the key left as it was",
          "[checks][versioned][unique_nulls_distinct][roundtrip]")
{
  ScratchDb db;
  db.plant(k_public_schema, k_plant);
  if (!nulls_not_distinct_server(db)) {
    return;
  }
  const auto result = db.audit({"unique_nulls_distinct"});
  // two root requests at position 1, written after the audit
  const auto requests = run_fix_on_copy(db, finding(result, "unique_nulls_distinct", "public.requests_order_key"),
                                        "insert into requests values (4, null, 1)");
  INFO(requests.run.output);
  CHECK(requests.run.refused());
  CHECK(requests.run.output.find("1 groups of rows repeat (collection_id, order_index) with a NULL in (collection_id)") !=
        std::string::npos);
  CHECK(requests.run.output.find("public.requests_order_key_nnd is not built") != std::string::npos);
  CHECK(requests.invalid.empty());
  CHECK(requests.weakened.empty());
  CHECK(requests.copy->scalar("select to_regclass('public.requests_order_key_nnd') is null") == "t");
  CHECK(requests.copy->scalar("select pg_get_constraintdef(oid) from pg_constraint where conname = 'requests_order_key'") ==
        "UNIQUE (collection_id, order_index)");

  // a deferrable key: the drop and the add are one transaction, which the duplicate rolls back
  const auto order = run_fix_on_copy(db, finding(result, "unique_nulls_distinct", "public.collections_order_key"),
                                     "insert into collections values (9, 1, null, 1)");
  INFO(order.run.output);
  CHECK(order.run.refused());
  CHECK(order.weakened.empty());
  CHECK(order.copy->scalar("select pg_get_constraintdef(oid) from pg_constraint where conname = 'collections_order_key'") ==
        "UNIQUE (team_id, parent_id, order_index) DEFERRABLE INITIALLY DEFERRED");
}

TEST_CASE("unique_nulls_distinct: a key a foreign key references, or a partitioned table's, gets advice only",
          "[checks][versioned][unique_nulls_distinct]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table nodes(id bigint primary key, parent_id bigint references nodes(id), slot int not null,
      constraint nodes_slot_key unique (parent_id, slot));
    create table pointers(id bigint primary key, parent_id bigint, slot int,
      foreign key (parent_id, slot) references nodes(parent_id, slot));
    create table events(id bigint, parent_id bigint references nodes(id), seq int not null, deleted_at timestamptz)
      partition by range (id);
    create table events_1 partition of events for values from (0) to (1000);
    create unique index events_seq on events(id, parent_id, seq);
    insert into nodes values (1, null, 1), (2, 1, 1);
    insert into events values (1, null, 1, null);
    analyze;
  )");
  const auto result = db.audit({"unique_nulls_distinct"});
  CHECK(findings_of(result, "unique_nulls_distinct").size() == 2);
  const auto& nodes = finding(result, "unique_nulls_distinct", "public.nodes_slot_key");
  const auto& events = finding(result, "unique_nulls_distinct", "public.events_seq");
  CHECK(nodes.undo == "-- nothing was changed");
  CHECK(events.undo == "-- nothing was changed");
  if (nulls_not_distinct_server(db)) {
    CHECK(nodes.remediation.find("foreign keys reference the table through its index") != std::string::npos);
    CHECK(events.remediation.find("a partitioned table's index cannot be built concurrently") != std::string::npos);
  }
  CHECK_FALSE(has_finding(result, "unique_nulls_distinct", "public.events_1_id_parent_id_seq_idx"));
}
