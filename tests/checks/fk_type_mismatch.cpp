#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("fk_type_mismatch: flags foreign key columns typed unlike the key they reference",
          "[checks][fk_type_mismatch]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key);
    create table $s.countries(code varchar(2) primary key);
    create table $s.order_items(id bigint primary key, order_id integer references $s.orders(id), sku text);
    -- controls: text and varchar of any length, either way round (Harbor's report_uuid text ->
    -- varchar(64); Hydra's varchar(255) columns -> a text key): binary-coercible, no cast in the
    -- comparison; a length limit is type_varchar_n's finding on its own column
    create table $s.addresses(id bigint primary key, country_code text references $s.countries(code),
                              region_code varchar references $s.countries(code),
                              area_code varchar(8) references $s.countries(code),
                              zone_code varchar(1) references $s.countries(code));
    create table $s.tags(name text primary key);
    create table $s.taggings(id bigint primary key, tag_name varchar(255) references $s.tags(name));
    -- control: same types
    create table $s.shipments(id bigint primary key, order_id bigint references $s.orders(id));
    -- control: a bigint referencing an integer key, ready for the key's widening (no cast in
    -- the comparison; narrowing it would bring the overflow back)
    create table $s.labels(id integer primary key);
    create table $s.order_labels(id bigint primary key, label_id bigint references $s.labels(id),
                                 small_label_id smallint references $s.labels(id));
    -- rows never analyzed, and no sequence to read: nothing says how far its keys are
    insert into $s.labels select generate_series(1, 10);
    -- Danbooru's user_sessions: a key fed by a sequence, its statistics empty
    create table $s.user_sessions(id bigserial primary key);
    create table $s.user_events(id bigint primary key, user_session_id integer references $s.user_sessions(id));
    select nextval(pg_get_serial_sequence('$s.user_sessions', 'id')) from generate_series(1, 5);
  )");

  const auto result = db.audit({"fk_type_mismatch"});
  const auto s = ident(schema);

  const auto& item = finding(result, "fk_type_mismatch", ident(schema) + ".order_items.order_id");
  CHECK(item.evidence["column_type"] == "integer");
  CHECK(item.evidence["referenced_type"] == "bigint");
  CHECK(item.remediation.find("alter table " + s + ".order_items add column if not exists order_id_new bigint;") !=
        std::string::npos);
  CHECK(item.remediation.find("add constraint order_items_order_id_fkey_new FOREIGN KEY (order_id_new) REFERENCES " + s +
                              ".orders(id) not valid;") != std::string::npos);

  // orders is empty (its file too): no key near any limit, a limit to plan for (low)
  CHECK(item.severity == model::Severity::low);
  CHECK(item.evidence["parent_max_estimate"] == 0);

  // no statistics: the sequence that feeds the key says how far it is
  const auto& event = finding(result, "fk_type_mismatch", s + ".user_events.user_session_id");
  CHECK(event.severity == model::Severity::low);
  CHECK(event.evidence["parent_max_estimate"] == 5);
  // two integer columns referencing bigint keys far from the limit: one decision, one entry
  CHECK(event.group_id == item.group_id);
  db.exec(with_schema(schema, "select setval(pg_get_serial_sequence('$s.user_sessions', 'id'), 2000000000)"));
  const auto near = db.audit({"fk_type_mismatch"});
  CHECK(finding(near, "fk_type_mismatch", s + ".user_events.user_session_id").severity == model::Severity::high);
  // near its limit, an entry of its own
  CHECK(finding(near, "fk_type_mismatch", s + ".user_events.user_session_id").group_id !=
        finding(near, "fk_type_mismatch", s + ".order_items.order_id").group_id);

  // Analyzed: hexpm's repositories, a few hundred ids into a bigint range, low; a parent whose
  // ids passed half of the integer range, high.
  db.exec(with_schema(schema, "insert into $s.orders select g from generate_series(1, 300) g; analyze $s.orders"));
  const auto few = finding(db.audit({"fk_type_mismatch"}), "fk_type_mismatch", ident(schema) + ".order_items.order_id");
  CHECK(few.severity == model::Severity::low);
  CHECK(few.evidence["parent_max_estimate"] == 300);
  CHECK(few.message.find("(they reach 300 of 2147483647, by pg_stats)") != std::string::npos);
  db.exec(with_schema(schema, "insert into $s.orders values (1500000000); analyze $s.orders"));
  CHECK(finding(db.audit({"fk_type_mismatch"}), "fk_type_mismatch", ident(schema) + ".order_items.order_id").severity ==
        model::Severity::high);

  for (const auto* column : {"country_code", "region_code", "area_code", "zone_code"}) {
    CHECK_FALSE(has_finding(result, "fk_type_mismatch", ident(schema) + ".addresses." + column));
  }
  CHECK_FALSE(has_finding(result, "fk_type_mismatch", ident(schema) + ".taggings.tag_name"));

  CHECK_FALSE(has_finding(result, "fk_type_mismatch", ident(schema) + ".shipments.order_id"));
  CHECK_FALSE(has_finding(result, "fk_type_mismatch", ident(schema) + ".order_labels.label_id"));
  // labels holds rows never analyzed and has no sequence: nothing says, high
  CHECK(finding(result, "fk_type_mismatch", ident(schema) + ".order_labels.small_label_id").severity == model::Severity::high);
  CHECK(findings_of(result, "fk_type_mismatch").size() == 3);
}

TEST_CASE("fk_type_mismatch: a column the key compares as another type, which no index on it answers, is medium",
          "[checks][fk_type_mismatch]")
{
  // Vaultwarden: character(36) columns referencing character varying(40) keys are compared as text;
  // sso_users' primary key on user_uuid served no user delete
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(uuid varchar(40) primary key);
    create table $s.sso_users(user_uuid char(36) primary key references $s.users on delete cascade);
    create table $s.ciphers(id int primary key, user_uuid char(36) references $s.users on delete cascade);
    create table $s.codes(code numeric primary key);
    create table $s.uses(id int primary key, code int references $s.codes);
  )");
  const auto result = db.audit({"fk_type_mismatch"});
  const auto s = ident(schema);
  const auto& sso = finding(result, "fk_type_mismatch", s + ".sso_users.user_uuid");
  CHECK(sso.severity == model::Severity::medium);
  CHECK(sso.evidence.at("compared_as") == "text");
  CHECK(sso.message.find("the key compares it as text, which no index on the column answers") != std::string::npos);
  // an integer column with a numeric key is compared as numeric: a cast on the column too
  const auto& uses = finding(result, "fk_type_mismatch", s + ".uses.code");
  INFO(uses.message);
  CHECK(uses.evidence.at("compared_as") == "numeric");
  CHECK(uses.severity == model::Severity::medium);
  // one type referencing one type is one decision: one entry for both character(36) columns, and
  // another for the integer one
  const auto& ciphers = finding(result, "fk_type_mismatch", s + ".ciphers.user_uuid");
  CHECK(ciphers.group_id == sso.group_id);
  CHECK(sso.entry == "character(36) -> character varying(40)");
  CHECK(uses.group_id != sso.group_id);
}

namespace {

// Rails-style shapes around an integer column referencing a bigint key: views and a
// materialized view (with an index) over it, an expression index with a predicate, a unique
// partial index, NOT NULL with a default, ON DELETE CASCADE (the view with an option, a
// grant and a comment: Sourcegraph's tenant views ran as their owner once made again without
// security_invoker, bypassing the caller's row-level security); and columns a swap cannot carry:
// a partition key, a primary key.
const char* const k_mismatch_schema = R"(
  create table $s.orders(id bigint primary key);
  create table $s.order_items(id bigint primary key, order_id integer not null default 0
                                references $s.orders(id) on delete cascade, sku text);
  create index order_items_expr on $s.order_items ((order_id::text || sku)) where order_id > 0;
  create unique index order_items_uniq on $s.order_items (order_id, id) where sku is not null;
  create view $s.order_item_skus with (security_barrier = true) as select order_id, sku from $s.order_items;
  grant select on $s.order_item_skus to public;
  comment on view $s.order_item_skus is 'skus by order';
  create materialized view $s.order_item_counts as select order_id, count(*) from $s.order_items group by 1;
  create index order_item_counts_order on $s.order_item_counts (order_id);
  create table $s.shipments(id bigint, order_id integer references $s.orders(id)) partition by list (order_id);
  create table $s.shipments_rest partition of $s.shipments default;
  create table $s.order_tags(order_id integer primary key references $s.orders(id));
  insert into $s.orders select generate_series(1, 100);
  insert into $s.order_items select g, g % 100 + 1, 'sku' || g from generate_series(1, 25000) g;
  refresh materialized view $s.order_item_counts;
)";

} // namespace

TEST_CASE("fk_type_mismatch: the column swap runs on a copy with views and indexes over the column",
          "[checks][fk_type_mismatch]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_mismatch_schema);
  const auto result = db.audit({"fk_type_mismatch"});
  const auto s = ident(schema);

  const auto& items = finding(result, "fk_type_mismatch", ident(schema) + ".order_items.order_id");
  CHECK(items.message.find("views that use it: " + ident(schema) + ".order_item_counts, " + ident(schema) + ".order_item_skus") !=
        std::string::npos);
  CHECK(items.evidence["indexes"] == "order_items_expr, order_items_uniq");
  CHECK(items.undo.find("alter table " + s + ".order_items drop column if exists order_id_new;") != std::string::npos);

  const auto fix = check_fix_runs(db, items.remediation);
  const auto& copy = *fix.copy;
  CHECK_FALSE(has_finding(copy.audit({"fk_type_mismatch"}), "fk_type_mismatch", items.object));
  const auto of = [&](const std::string& relation) { return with_schema(schema, relation); };
  CHECK(copy.scalar("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = '" +
                    of("$s.order_item_skus") + "'::regclass and attname = 'order_id'") == "bigint");
  CHECK(copy.scalar("select count(*) from " + of("$s.order_item_counts")) == "100");
  CHECK(copy.scalar("select array_to_string(reloptions, ',') || ' ' || array_to_string(relacl, ',') || ' ' || "
                    "obj_description(oid, 'pg_class') from pg_class where oid = '" + of("$s.order_item_skus") + "'::regclass")
          .value_or("")
          .find("security_barrier=true ") == 0);
  CHECK(copy.scalar("select has_table_privilege('public', '" + of("$s.order_item_skus") + "', 'select') and "
                    "obj_description('" + of("$s.order_item_skus") + "'::regclass, 'pg_class') = 'skus by order'") == "t");
  CHECK(copy.scalar("select string_agg(indexrelid::regclass::text, ',' order by 1) from pg_index where indrelid = '" +
                    of("$s.order_items") + "'::regclass and not indisprimary")
          .value_or("")
          .find("order_items_expr") != std::string::npos);
  CHECK(copy.scalar("select count(*) from pg_index where indexrelid = to_regclass('" + of("$s.order_item_counts_order") + "')") == "1");
  CHECK(copy.scalar("select count(*) from " + of("$s.order_items") + " where order_id is distinct from deprecated_order_id") == "0");
  // new rows need no value for the old column
  copy.exec(of("insert into $s.order_items(id, order_id) values (100000, 5)"));
  // the undo, once the swap has run: it stops and says so, rather than finding nothing to drop
  const auto undone = run_psql_script(copy, items.undo);
  REQUIRE(undone.errors().size() == 1);
  CHECK(undone.errors()[0].find("the swap (step 6) has run, deprecated_order_id holds the old values") != std::string::npos);

  const auto& shipments = finding(result, "fk_type_mismatch", ident(schema) + ".shipments.order_id");
  CHECK(shipments.message.find("a column swap cannot carry a partitioned table (its partitions), a partition key") !=
        std::string::npos);
  CHECK(finding(result, "fk_type_mismatch", ident(schema) + ".order_tags.order_id").message.find("its primary key") != std::string::npos);
  for (const auto* object : {".shipments.order_id", ".order_tags.order_id"}) {
    const auto& blocked = finding(result, "fk_type_mismatch", ident(schema) + object);
    CHECK(blocked.remediation.find("plan it as a migration") != std::string::npos);
    CHECK(run_fix_on_copy(db, blocked.remediation).run.errors().empty()); // says what to do, changes nothing
  }
}

TEST_CASE("fk_type_mismatch: the backfill keeps the table's update triggers from firing on every row",
          "[checks][fk_type_mismatch]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id bigint primary key);
    create table $s.lines(id bigint primary key, order_id integer references $s.orders(id), touched_at timestamptz);
    create function $s.touch() returns trigger language plpgsql as $$begin new.touched_at := now(); return new; end$$;
    create trigger lines_touch before update on $s.lines for each row execute function $s.touch();
    insert into $s.orders select g from generate_series(1, 50) g;
    insert into $s.lines select g, g % 50 + 1, '2015-01-01' from generate_series(1, 300) g;
  )");
  const auto result = db.audit({"fk_type_mismatch"});
  const auto& f = finding(result, "fk_type_mismatch", ident(schema) + ".lines.order_id");
  CHECK(f.remediation.find("-- its UPDATEs would fire trigger lines_touch (for each row, on UPDATE) on every row") !=
        std::string::npos);
  const auto fix = check_fix_runs(db, f.remediation);
  CHECK(fix.copy->scalar(with_schema(schema, "select count(*) from $s.lines where touched_at = '2015-01-01'")) == "300");
  CHECK_FALSE(has_finding(fix.copy->audit({"fk_type_mismatch"}), "fk_type_mismatch", f.object));
}

TEST_CASE("fk_type_mismatch: the swap stops when an earlier step did not finish", "[checks][fk_type_mismatch]")
{
  ScratchDb db;
  db.plant(k_public_schema, k_mismatch_schema);
  const auto result = db.audit({"fk_type_mismatch"});
  const auto& items = finding(result, "fk_type_mismatch", "public.order_items.order_id");
  // the new foreign key's validation did not run (cancelled, say)
  std::string script = items.remediation;
  const std::string validate = "alter table public.order_items validate constraint order_items_order_id_fkey_new;\n";
  REQUIRE(script.find(validate) != std::string::npos);
  script.erase(script.find(validate), validate.size());
  const auto fix = run_fix_on_copy(db, script);
  INFO(fix.run.output);
  REQUIRE(fix.run.errors().size() == 1);
  CHECK(fix.run.errors()[0].find("foreign key order_items_order_id_fkey_new is missing or not validated") != std::string::npos);
  CHECK(fix.weakened.empty());
  CHECK(fix.copy->scalar("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'order_items'::regclass "
                         "and attname = 'order_id'") == "integer");
  CHECK(fix.copy->scalar("select count(*) from order_item_skus") == "25000");
}

TEST_CASE("fk_type_mismatch: run again after its swap, the fix stops at its first step and leaves writes working",
          "[checks][fk_type_mismatch]")
{
  // fix, undo (which stops once the swap ran), fix again: the second run added a column and a sync
  // trigger before failing at the swap; with only the trigger, every write would have failed
  ScratchDb db;
  db.plant(k_public_schema, k_mismatch_schema);
  const auto& items = finding(db.audit({"fk_type_mismatch"}), "fk_type_mismatch", "public.order_items.order_id");
  const auto fixed = run_fix_on_copy(db, items);
  REQUIRE(fixed.problems().empty());
  const auto again = run_psql_script(*fixed.copy, items.remediation);
  INFO(again.output);
  REQUIRE_FALSE(again.errors().empty());
  CHECK(again.errors()[0].find("it is no longer integer (the swap has run") != std::string::npos);
  CHECK(fixed.copy->scalar("select count(*) from pg_attribute where attrelid = 'order_items'::regclass "
                           "and attname = 'order_id_new' and not attisdropped") == "0");
  CHECK(fixed.copy->scalar("select count(*) from pg_trigger where tgrelid = 'order_items'::regclass and not tgisinternal") == "0");
  CHECK(run_psql_script(*fixed.copy, "update order_items set order_id = order_id where id = (select min(id) from order_items);")
          .errors()
          .empty());
}

TEST_CASE("fk_type_mismatch: no swap while a CHECK, a policy or a generated column reads the column",
          "[checks][fk_type_mismatch]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // each would go on reading the old column, renamed deprecated_<column> and no longer filled:
  // the rule it enforces would be gone in effect
  db.plant(schema, R"(
    create table $s.tenants(id bigint primary key);
    create table $s.checked(id bigint primary key, tenant_id integer not null references $s.tenants(id),
                            constraint tenant_positive check (tenant_id > 0));
    create table $s.isolated(id bigint primary key, tenant_id integer not null references $s.tenants(id));
    alter table $s.isolated enable row level security;
    create policy tenant_isolation on $s.isolated using (tenant_id = current_setting('app.tenant')::int);
    create table $s.derived(id bigint primary key, tenant_id integer references $s.tenants(id),
                            tenant_label text generated always as ('t' || tenant_id) stored);
    -- control: nothing else reads it
    create table $s.plain(id bigint primary key, tenant_id integer references $s.tenants(id));
  )");
  const auto result = db.audit({"fk_type_mismatch"});
  const auto s = ident(schema);
  for (const auto& [table, names] : {std::pair{"checked", "constraint tenant_positive on table "},
                                     std::pair{"isolated", "policy tenant_isolation on table "},
                                     std::pair{"derived", "column tenant_label of table "}}) {
    const auto& f = finding(result, "fk_type_mismatch", s + "." + table + ".tenant_id");
    INFO(f.remediation);
    const auto blockers = f.evidence.at("blockers").dump();
    INFO(blockers);
    CHECK(blockers.find("what else reads it, which the swap would leave on the old column: ") != std::string::npos);
    CHECK(blockers.find(names) != std::string::npos);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
  }
  const auto& plain = finding(result, "fk_type_mismatch", s + ".plain.tenant_id");
  CHECK(plain.evidence.at("blockers").empty());
  CHECK(model::remediation_kind(plain.remediation) == model::RemediationKind::script);
}
