#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("missing_fk: flags <table>_id columns without a foreign key, preferring the same schema",
          "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.exec("create schema archive; create table archive.users(id bigint primary key)");
  db.plant(schema, R"(
    create table $s.users(id bigint primary key, email text);
    create table $s.categories(id integer primary key, name text);
    create table $s.addresses(id bigint primary key, street text);
    create table $s.coupons(code text primary key);
    create table $s.orders(id bigint primary key, user_id bigint, category_id integer,
                           address_id bigint references $s.addresses(id), coupon_code text);
    create table $s.reviews(id bigint primary key, order_id integer, user_id integer);
    -- a polymorphic reference (Rails' belongs_to polymorphic): the parent table is named per row
    create table $s.comments(id bigint primary key, user_id bigint, user_type text, order_id bigint, commentable_type text);
    create table $s.payments(id bigint primary key, order_id bigint not null);
    -- a table's own key made by its own sequence is no reference, whatever its name (Harbor's
    -- project_id keys): a serial, an identity; a 1:1 extension keyed by the parent's id, with
    -- no default of its own, is one
    create table $s.projects(project_id bigserial primary key);
    create table $s.project_archives(project_id bigserial primary key);
    create table $s.project_imports(project_id bigint generated always as identity primary key);
    create table $s.project_settings(project_id bigint primary key);
  )");

  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);

  const auto& user = finding(result, "missing_fk", ident(schema) + ".orders.user_id");
  CHECK(user.evidence["references"] == ident(schema) + ".users.id"); // not archive.users
  CHECK(user.message.find("orphan") != std::string::npos);
  CHECK(user.remediation.find("alter table " + s + ".orders add constraint orders_user_id_fkey foreign key (user_id) references " +
                              s + ".users (id) not valid;\n") != std::string::npos);
  CHECK(user.remediation.find("\nalter table " + s + ".orders validate constraint orders_user_id_fkey;") != std::string::npos);
  // the child's index first, built concurrently (the key's lookups on deletes of users need it)
  CHECK(user.remediation.find("create index concurrently if not exists orders_user_id_idx on " + s + ".orders (user_id);") <
        user.remediation.find("foreign key (user_id)"));
  CHECK(user.undo == "set lock_timeout = '5s';\nalter table " + s + ".orders drop constraint if exists orders_user_id_fkey;\n"
                     "drop index concurrently if exists " + s + ".orders_user_id_idx;");
  CHECK(user.remediation.find("set lock_timeout") != std::string::npos);
  // the key changes what a delete of a parent does: said above the ADD
  CHECK(user.remediation.find("It is ON DELETE NO ACTION: from here on, deleting a row of " + s + ".users that rows\n-- of " + s +
                              ".orders still reference fails") < user.remediation.find("add constraint"));
  CHECK(user.remediation.find("delete them or set user_id to NULL") != std::string::npos);
  // a NOT NULL reference cannot be set to NULL
  const auto& payment = finding(result, "missing_fk", ident(schema) + ".payments.order_id");
  CHECK(payment.remediation.find("delete them or point order_id at rows that exist") != std::string::npos);
  CHECK(payment.remediation.find("to NULL") == std::string::npos);

  // "categories" singularises to "category".
  CHECK(finding(result, "missing_fk", ident(schema) + ".orders.category_id").evidence["references"] == ident(schema) + ".categories.id");

  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".orders.address_id")); // has a foreign key
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".orders.coupon_code")); // not an _id column
  // an integer reference to a bigint key (Danbooru's ai_tags.media_asset_id): a foreign key takes it, the message
  // names both types
  const auto& narrow = finding(result, "missing_fk", ident(schema) + ".reviews.order_id");
  CHECK(narrow.message.find("it is integer where the key is bigint") != std::string::npos);
  CHECK(narrow.evidence["key_type"] == "bigint");
  CHECK(user.evidence["key_type"].is_null());
  CHECK(has_finding(result, "missing_fk", ident(schema) + ".reviews.user_id"));
  const auto narrow_fixed = run_fix_on_copy(db, narrow);
  INFO(narrow_fixed.run.output);
  CHECK(narrow_fixed.problems().empty());
  CHECK(narrow_fixed.copy->scalar(with_schema(schema, "select count(*) from pg_constraint where contype = 'f' and "
                                                      "conrelid = '$s.reviews'::regclass and convalidated")) == "1");
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".comments.user_id"));    // user_type beside it
  CHECK(has_finding(result, "missing_fk", ident(schema) + ".comments.order_id"));         // no order_type
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".project_archives.project_id"));
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".project_imports.project_id"));
  CHECK(finding(result, "missing_fk", ident(schema) + ".project_settings.project_id").evidence["references"] ==
        ident(schema) + ".projects.project_id");
  CHECK(findings_of(result, "missing_fk").size() == 7);
}

namespace {

const char* const k_rails_schema = R"(
  create table $s.users(id uuid primary key, email text);
  create table $s.accounts(id bigint primary key);
  -- a partitioned child: no NOT VALID foreign key on it before PostgreSQL 18
  create table $s.page_views(id bigint, user_id uuid, at date not null) partition by range (at);
  create table $s.page_views_2024 partition of $s.page_views for values from ('2024-01-01') to ('2025-01-01');
  create table $s.page_views_default partition of $s.page_views default;
  -- the constraint name the fix would use is taken (by a check constraint)
  create table $s.orders(id bigint primary key, user_id uuid, account_id bigint,
                         constraint orders_account_id_fkey check (account_id > 0));
  -- a table name of 50+ bytes
  create table $s.subscription_invoice_line_item_adjustment_allocations(id bigint primary key, account_id bigint);
  insert into $s.users select md5(g::text)::uuid from generate_series(1, 10) g;
  insert into $s.accounts select generate_series(1, 10);
  insert into $s.page_views select g, md5((g % 10 + 1)::text)::uuid, date '2024-01-01' + g * 3 from generate_series(1, 200) g;
  insert into $s.orders select g, case when g % 4 > 0 then md5((g % 10 + 1)::text)::uuid end, g % 10 + 1 from generate_series(1, 50) g;
  insert into $s.subscription_invoice_line_item_adjustment_allocations select g, g % 10 + 1 from generate_series(1, 50) g;
)";

} // namespace

TEST_CASE("missing_fk: every fix runs on a copy, including a partitioned child, and is not reported again", "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_rails_schema);
  const auto result = db.audit({"missing_fk"});
  const auto rows = findings_of(result, "missing_fk");
  CHECK(rows.size() == 4);
  CHECK(finding(result, "missing_fk", ident(schema) + ".page_views.user_id").remediation.find("references " + ident(schema) + ".users (id);") !=
        std::string::npos); // validated at once: a partitioned table takes no NOT VALID key on 15
  CHECK(finding(result, "missing_fk", ident(schema) + ".orders.account_id").remediation.find("orders_account_id_fkey_") != std::string::npos);

  check_every_fix_runs(db, rows, {"missing_fk"});
}

TEST_CASE("missing_fk: the fix stops on orphans and adds nothing", "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_rails_schema);
  const auto result = db.audit({"missing_fk"});
  const std::pair<const char*, const char*> orphans[] = {
    {".orders.user_id", "insert into $s.orders values (1000, md5('nobody')::uuid, 1), (1001, md5('nobody')::uuid, 1)"},
    {".page_views.user_id", "insert into $s.page_views values (1000, md5('nobody')::uuid, '2030-01-01')"},
  };
  for (const auto& [object, rows] : orphans) {
    const auto fix = check_fix_stops(db, finding(result, "missing_fk", ident(schema) + object), with_schema(schema, rows),
                                     {"reference no row of " + ident(schema) + ".users", "list them with: select c.* from"});
    CHECK(fix.copy->scalar("select count(*) from pg_constraint where contype = 'f'") == "0");
  }
}

TEST_CASE("missing_fk: the statistics name sampled values outside the parent's keys, and a column of other values is info",
          "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // counters flushed before ANALYZE: the parent's statistics count as fresh
  db.plant(schema, R"(
    -- Synapse: profiles.user_id holds localparts ('alice'), users.name full ids ('@alice:example.com')
    create table $s.users(name text primary key, created bigint);
    create table $s.profiles(user_id text, displayname text);
    insert into $s.users select '@u' || g || ':example.com', g from generate_series(1, 3000) g;
    insert into $s.profiles select 'u' || g, 'd' from generate_series(1, 3000) g;
    -- orders that reference deleted customers
    create table $s.customers(id bigint primary key);
    create table $s.orders(id bigint primary key, customer_id bigint);
    insert into $s.customers select g from generate_series(1, 2000) g;
    insert into $s.orders select g, g % 2500 + 1 from generate_series(1, 5000) g;
    -- control: every value within the parent's keys
    create table $s.shops(id uuid primary key);
    create table $s.items(id bigint primary key, shop_id uuid);
    insert into $s.shops select md5(g::text)::uuid from generate_series(1, 2000) g;
    insert into $s.items select g, md5((g % 2000 + 1)::text)::uuid from generate_series(1, 5000) g;
    -- Harbor's project.registry_id: 0 for "no registry" in most rows (a Go int64's zero value)
    create table $s.registries(id serial primary key, name text);
    insert into $s.registries(name) select 'r' || g from generate_series(1, 3) g;
    create table $s.projects(project_id serial primary key, registry_id int);
    insert into $s.projects(registry_id) select case when g % 50 = 0 then 1 + g % 3 else 0 end from generate_series(1, 2000) g;
    -- an empty parent beside values in the child: each an orphan, or something else
    create table $s.mirrors(id int primary key);
    create table $s.repositories(id int primary key, mirror_id int);
    insert into $s.repositories select g, g % 40 + 1 from generate_series(1, 2000) g;
  )");
  db.exec_with_stats(with_schema(schema, "analyze $s.users, $s.profiles, $s.customers, $s.orders, $s.shops, $s.items, "
                                         "$s.registries, $s.projects, $s.mirrors, $s.repositories"));
  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);

  const auto profile = finding(result, "missing_fk", s + ".profiles.user_id");
  INFO(profile.message);
  CHECK(profile.severity == model::Severity::info);
  CHECK(profile.message.find("lies within the range of " + ident(schema) + ".users.name: it holds something else") != std::string::npos);
  CHECK(profile.evidence["sampled_outside_parent_range"] == profile.evidence["sampled_values"]);

  const auto order = finding(result, "missing_fk", s + ".orders.customer_id");
  INFO(order.message);
  CHECK(order.severity == model::Severity::low);
  CHECK(order.message.find("lie outside the range of the values it kept from " + ident(schema) + ".customers.id: orphans if the "
                           "parent's sample holds its extremes") != std::string::npos);
  CHECK(order.evidence["sampled_outside_parent_range"].get<long>() > 0);
  CHECK(order.evidence["sampled_outside_parent_range"].get<long>() < order.evidence["sampled_values"].get<long>());

  const auto item = finding(result, "missing_fk", s + ".items.shop_id");
  CHECK(item.severity == model::Severity::low);
  CHECK(item.evidence["sampled_outside_parent_range"] == 0);
  CHECK(item.evidence["sampled_values"].get<long>() > 0);
  CHECK(item.message.find("range of") == std::string::npos);

  const auto project = finding(result, "missing_fk", s + ".projects.registry_id");
  INFO(project.message);
  CHECK(project.severity == model::Severity::info);
  CHECK(project.evidence["none_sentinel"] == 0);
  CHECK(project.evidence["none_sentinel_share"].get<double>() > 0.9);
  CHECK(project.message.find("; 0, outside the range of " + ident(schema) + ".registries.id, is in 98") != std::string::npos);
  CHECK(project.message.find("a \"none\" the application writes, which a key would refuse") != std::string::npos);
  // the fix stops, and its stop says which orphans are the "none" (not rows to delete)
  const auto stopped = run_fix_on_copy(db, project);
  REQUIRE_FALSE(stopped.run.errors().empty());
  CHECK(stopped.run.errors()[0].find("(1960 of them hold 0 or -1, a \"none\" the application writes: set those to NULL") !=
        std::string::npos);

  const auto repository = finding(result, "missing_fk", s + ".repositories.mirror_id");
  INFO(repository.message);
  CHECK(repository.severity == model::Severity::info);
  CHECK(repository.evidence["parent_empty"] == true);
  CHECK(repository.message.find("; " + ident(schema) + ".mirrors is empty while ANALYZE saw values in the column") != std::string::npos);
  // controls: parents with rows
  CHECK(order.evidence["parent_empty"] == false);
}

TEST_CASE("missing_fk: children of parents added since the parent's ANALYZE are no orphans when the key's sequence gave "
          "out their ids",
          "[checks][missing_fk]")
{
  // Concourse: the events of the newest builds, above the top of the builds' sampled ids, were
  // named as possible orphans (none were).
  ScratchDb db;
  db.plant("public", R"(
    create table builds(id serial primary key, name text);
    insert into builds(name) select 'b' || g from generate_series(1, 10000) g;
    create table jobs(id integer generated always as identity primary key, name text);
    insert into jobs(name) select 'j' || g from generate_series(1, 10000) g;
  )");
  db.exec_with_stats("analyze builds, jobs");
  db.exec_with_stats(R"(
    -- 5% more builds since their ANALYZE: the statistics still count as fresh
    insert into builds(name) select 'b' || g from generate_series(10001, 10500) g;
    insert into jobs(name) select 'j' || g from generate_series(10001, 10500) g;
    create table build_events(id bigint primary key, build_id integer);
    insert into build_events select g, 9000 + g % 1500 + 1 from generate_series(1, 6000) g;
    -- control: ids the sequence never gave out are orphans, or something else
    create table job_logs(id bigint primary key, job_id integer);
    insert into job_logs select g, 9000 + g % 3000 + 1 from generate_series(1, 6000) g;
  )");
  db.exec_with_stats("analyze build_events, job_logs");
  const auto result = db.audit({"missing_fk"});
  const auto event = finding(result, "missing_fk", "public.build_events.build_id");
  INFO(event.message);
  CHECK(event.evidence["sampled_outside_parent_range"] == 0);
  CHECK(event.message.find("range of") == std::string::npos);
  const auto log = finding(result, "missing_fk", "public.job_logs.job_id");
  INFO(log.message);
  CHECK(log.evidence["sampled_outside_parent_range"].get<long>() > 0);
  CHECK(log.message.find("lie outside the range of the values it kept from public.jobs.id") != std::string::npos);
}

TEST_CASE("missing_fk: an inheritance parent's key covers its own rows: the message says so, and its children are "
          "reported and keyed each",
          "[checks][missing_fk]")
{
  // Concourse: the key added to build_events let pipeline_build_events_N go on taking orphans,
  // and the parent's orphan count read its children's rows, which its key does not check.
  ScratchDb db;
  db.plant("public", R"(
    create table builds(id bigserial primary key, name text not null);
    create table build_events(build_id bigint, payload text not null);
    create table pipeline_build_events_1 () inherits (build_events);
    create table pipeline_build_events_2 () inherits (build_events);
    insert into builds(name) select 'b' || g from generate_series(1, 2000) g;
    insert into build_events select g, 'x' from generate_series(1, 1000) g;
    insert into pipeline_build_events_1 select g, 'x' from generate_series(1, 2000) g;
    -- an orphan in a child: the child's fix stops, not the parent's
    insert into pipeline_build_events_2 select g, 'x' from generate_series(1, 2000) g;
    insert into pipeline_build_events_2 values (999999, 'orphan');
    analyze;
  )");
  const auto result = db.audit({"missing_fk"});
  const auto parent = finding(result, "missing_fk", "public.build_events.build_id");
  INFO(parent.message);
  CHECK(parent.message.find("; a foreign key is not inherited: this one covers the rows of public.build_events alone, "
                            "and each of its 2 inheritance children needs its own") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, parent);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(parent));
  const auto child = finding(result, "missing_fk", "public.pipeline_build_events_2.build_id");
  CHECK(child.message.find("a foreign key is not inherited") == std::string::npos);
  const auto stopped = run_fix_on_copy(db, child);
  CHECK(stopped.run.refused());
  CHECK(has_finding(result, "missing_fk", "public.pipeline_build_events_1.build_id"));
}

TEST_CASE("missing_fk: a schema whose foreign keys are all deferred gets a deferred one too", "[checks][missing_fk]")
{
  // Danbooru: all 93 foreign keys DEFERRABLE INITIALLY DEFERRED, the proposed ones were not
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id bigint primary key);
    create table $s.posts(id bigint primary key, uploader_id bigint references $s.users(id) deferrable initially deferred,
                          user_id bigint);
  )");
  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);
  const auto& f = finding(result, "missing_fk", s + ".posts.user_id");
  INFO(f.remediation);
  CHECK(f.remediation.find("references " + s + ".users (id) deferrable initially deferred not valid;") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, f);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK(fixed.copy->scalar(with_schema(schema, "select condeferred from pg_constraint where conrelid = '$s.posts'::regclass "
                                               "and conname = 'posts_user_id_fkey'")) == "t");
}

namespace {

// Tenant tables (organization_id): a parent with a unique (tenant, key) index and one without, a
// child whose tenant is nullable, and a parent whose tenant is NULL on global rows; indexes on the
// tenant column alone that the fix's (tenant, key) indexes make left prefixes, and a partial one
// that stays (not a prefix for redundant_index).
const char* const k_tenant_schema = R"(
  create table $s.organizations(id bigint primary key, name text);
  create table $s.customers(id bigint primary key, organization_id bigint not null, name text);
  create index customers_by_organization on $s.customers(organization_id);
  create table $s.invoices(id bigint primary key, organization_id bigint not null, customer_id bigint);
  create index invoices_by_organization on $s.invoices(organization_id);
  create index invoices_recent_by_organization on $s.invoices(organization_id) where id > 100;
  create table $s.projects(id bigint primary key, organization_id bigint not null, unique (organization_id, id));
  create table $s.tasks(id bigint primary key, organization_id bigint not null, project_id bigint);
  create table $s.notes(id bigint primary key, organization_id bigint, customer_id bigint);
  create table $s.roles(id bigint primary key, organization_id bigint, name text);
  create table $s.memberships(id bigint primary key, organization_id bigint not null, role_id bigint);
  -- no index at all (Hatchet's QueueItem): the key of its tenant column and a composite key
  create table $s.tickets(id bigint primary key, organization_id bigint not null, customer_id bigint);
  insert into $s.organizations select g, 'org ' || g from generate_series(1, 3) g;
  insert into $s.customers select g, g % 3 + 1, 'customer ' || g from generate_series(1, 30) g;
  insert into $s.invoices select g, g % 3 + 1, g from generate_series(1, 60) g where g <= 30;
  insert into $s.projects select g, g % 3 + 1 from generate_series(1, 30) g;
  insert into $s.tasks select g, g % 3 + 1, g from generate_series(1, 30) g;
  insert into $s.notes select g, case when g > 5 then g % 3 + 1 end, g from generate_series(1, 30) g;
  insert into $s.roles values (1, null, 'admin');
  insert into $s.roles select g, g - 1, 'custom' from generate_series(2, 4) g;
  insert into $s.memberships select g, g % 3 + 1, case when g % 2 = 0 then 1 else g % 3 + 2 end from generate_series(1, 30) g;
  insert into $s.tickets select g, g % 3 + 1, g from generate_series(1, 30) g;
  -- two tenancies (coder): agent stats belong to a workspace, templates to an organization
  create table $s.templates(id bigint primary key, organization_id bigint not null);
  create table $s.workspaces(id bigint primary key, organization_id bigint not null);
  create table $s.builds(id bigint primary key, workspace_id bigint not null);
  create table $s.agent_counters(id bigint primary key, workspace_id bigint not null, template_id bigint);
  insert into $s.templates select g, g % 3 + 1 from generate_series(1, 10) g;
  insert into $s.workspaces select g, (g + 1) % 3 + 1 from generate_series(1, 10) g;
  insert into $s.builds select g, g from generate_series(1, 10) g;
  insert into $s.agent_counters select g, g, (g + 1) % 10 + 1 from generate_series(1, 10) g;
  analyze;
)";

} // namespace

TEST_CASE("missing_fk: between tenant tables the key carries the tenant, with the indexes it needs", "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_tenant_schema);
  const auto checks = std::vector<std::string>{"missing_fk", "cross_tenant_fk", "fk_without_index", "redundant_index"};
  const auto result = db.audit(checks);
  const auto s = ident(schema);

  // No unique (organization_id, id) on customers: built concurrently, then the composite key; the
  // indexes on organization_id alone become left prefixes and are dropped last, under a guard.
  const auto& invoices = finding(result, "missing_fk", s + ".invoices.customer_id");
  CHECK(invoices.evidence["tenant_column"] == "organization_id");
  const auto& fix = invoices.remediation;
  const auto parent_index = fix.find("create unique index concurrently if not exists customers_organization_id_id_key on " + s +
                                     ".customers (organization_id, id);");
  const auto child_index = fix.find("create index concurrently if not exists invoices_organization_id_customer_id_idx on " + s +
                                    ".invoices (organization_id, customer_id);");
  const auto add = fix.find("foreign key (organization_id, customer_id) references " + s + ".customers (organization_id, id) not valid;");
  const auto validate = fix.find("validate constraint invoices_customer_id_fkey;");
  const auto drop = fix.find("-- 4. an index on the tenant column alone is a left prefix of a new one");
  CHECK(parent_index < child_index);
  CHECK(child_index < add);
  CHECK(add < validate);
  CHECK(validate < drop);
  CHECK(drop != std::string::npos);
  CHECK(invoices.undo.find("create index concurrently if not exists customers_by_organization ON " + s +
                           ".customers USING btree (organization_id);") != std::string::npos);
  CHECK(invoices.undo.find("create index concurrently if not exists invoices_by_organization ON " + s +
                           ".invoices USING btree (organization_id);") != std::string::npos);
  CHECK(invoices.undo.find("invoices_recent_by_organization") == std::string::npos);
  {
    const auto alone = check_fix_runs(db, fix);
    const auto exists = [&](const char* index) {
      return alone.copy->scalar(with_schema(schema, std::string("select to_regclass('$s.") + index + "') is not null"));
    };
    CHECK(exists("customers_by_organization") == "f");
    CHECK(exists("invoices_by_organization") == "f");
    CHECK(exists("invoices_recent_by_organization") == "t");
    CHECK(alone.run.output.find("invoices_by_organization is a left prefix of " + s +
                                ".invoices_organization_id_customer_id_idx and is dropped; to recreate it: CREATE INDEX") !=
          std::string::npos);
  }

  // projects has its unique (organization_id, id): used as it is.
  const auto& tasks = finding(result, "missing_fk", s + ".tasks.project_id");
  CHECK(tasks.remediation.find("create unique index") == std::string::npos);
  CHECK(tasks.remediation.find("foreign key (organization_id, project_id) references " + s + ".projects (organization_id, id) not valid;") !=
        std::string::npos);

  // A nullable child tenant: the composite key, which does not check rows whose tenant is NULL,
  // and one on the column alone beside it (what cross_tenant_fk's fix leaves there), with an index
  // led by the column that serves both; the first says why.
  const auto& notes = finding(result, "missing_fk", s + ".notes.customer_id");
  CHECK(notes.remediation.find("can be NULL") != std::string::npos);
  CHECK(notes.remediation.find("add constraint notes_customer_id_fkey foreign key (customer_id) references " + s +
                               ".customers (id) not valid;") != std::string::npos);
  CHECK(notes.remediation.find("add constraint notes_organization_id_customer_id_fkey foreign key (organization_id, customer_id) "
                               "references " + s + ".customers (organization_id, id) not valid;") != std::string::npos);
  CHECK(notes.remediation.find("create index concurrently if not exists notes_customer_id_organization_id_idx on " + s +
                               ".notes (customer_id, organization_id);") != std::string::npos);
  CHECK(notes.undo.find("drop constraint if exists notes_organization_id_customer_id_fkey;\nalter table " + s +
                        ".notes drop constraint if exists notes_customer_id_fkey;") != std::string::npos);
  {
    // both keys hold: a row of another organization's customer and one of no customer are refused,
    // a row without a tenant that names a customer is not
    const auto alone = check_fix_runs(db, notes.remediation);
    const auto refused = [&](const char* values) {
      return run_psql_script(*alone.copy, with_schema(schema, std::string("insert into $s.notes values ") + values + ";"))
        .errors().size() == 1;
    };
    CHECK(refused("(100, 1, 2)")); // customer 2 is organization 3's
    CHECK(refused("(101, null, 999)"));
    CHECK_FALSE(refused("(102, null, 2)"));
    check_undo_gives_back(db, *alone.copy, notes.undo);
  }
  // tickets.organization_id's key is served by the (organization_id, customer_id) index the fix of
  // customer_id builds: it builds that one too (if not exists), not one on organization_id alone,
  // which the other would make a left prefix when it ran first (Hatchet's QueueItem."tenantId",
  // after "stepId"); its undo keeps the index while the key on customer_id is there
  const auto& own = finding(result, "missing_fk", s + ".tickets.organization_id");
  CHECK(own.remediation.find("create index concurrently if not exists tickets_organization_id_customer_id_idx on " + s +
                             ".tickets (organization_id, customer_id);") != std::string::npos);
  CHECK(own.remediation.find("tickets_organization_id_idx") == std::string::npos);
  {
    const auto alone = check_fix_runs(db, own.remediation);
    check_undo_gives_back(db, *alone.copy, own.undo);
  }
  // A parent with global rows: the key on the column alone.
  CHECK(finding(result, "missing_fk", s + ".memberships.role_id")
          .remediation.find("foreign key (role_id) references " + s + ".roles (id) not valid;") != std::string::npos);

  // A workspace's counters and an organization's template: two tenancies, no composite key.
  const auto& stats = finding(result, "missing_fk", s + ".agent_counters.template_id");
  CHECK(stats.evidence["tenant_column"].is_null());
  CHECK(stats.remediation.find("foreign key (template_id) references " + s + ".templates (id) not valid;") != std::string::npos);

  // Every fix runs; together they create no fk_without_index, redundant_index or cross_tenant_fk
  // finding (before both keys went beside each other, cross_tenant_fk reported the one on
  // notes.customer_id at the next audit).
  const auto rows = findings_of(result, "missing_fk");
  const auto all = check_every_fix_runs(db, rows, {"missing_fk"});
  for (const auto& f : all.copy->audit(checks).findings) {
    INFO(f.check_id << " " << f.object);
    CHECK(has_finding(result, f.check_id, f.object));
  }
  CHECK(all.copy->scalar(with_schema(schema, "select to_regclass('$s.invoices_recent_by_organization') is not null")) == "t");
  const auto own_undone = run_psql_script(*all.copy, own.undo);
  CHECK(own_undone.errors().empty());
  CHECK(own_undone.output.find("kept, the foreign key on " + s + ".tickets.customer_id uses it") != std::string::npos);
  CHECK(all.copy->scalar(with_schema(schema, "select to_regclass('$s.tickets_organization_id_customer_id_idx') is not null")) == "t");

  // A row that references a customer of another organization stops the composite key.
  check_fix_stops(db, invoices, with_schema(schema, "insert into $s.invoices values (99, 1, 1)"),
                  {"1 rows of " + s + ".invoices reference no row of " + s + ".customers with the same organization_id",
                   "list them with: select c.* from"});
}

TEST_CASE("missing_fk: flags the camelCase references of ORMs, not their polymorphic ones", "[checks][missing_fk]")
{
  // Prisma, TypeORM, Sequelize: "userId" references "User" (or users); Documenso's
  // DocumentAuditLog."userId" was never a candidate
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s."User"(id int primary key);
    create table $s.teams(id int primary key);
    create table $s."AuditLog"(id int primary key, "userId" int, "teamId" int, "createdById" int);
    create table $s."Note"(id int primary key, "teamId" int, "teamType" text);
    insert into $s."User" select g from generate_series(1, 200) g;
    insert into $s.teams select g from generate_series(1, 20) g;
    insert into $s."AuditLog" select g, g % 200 + 1, g % 20 + 1, g % 200 + 1 from generate_series(1, 2000) g;
    insert into $s."Note" select g, g % 20 + 1, 'Team' from generate_series(1, 2000) g;
    analyze;
  )");
  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);
  const auto& user = finding(result, "missing_fk", s + ".\"AuditLog\".\"userId\"");
  CHECK(user.evidence.at("references") == s + ".\"User\".id");
  CHECK(has_finding(result, "missing_fk", s + ".\"AuditLog\".\"teamId\""));
  // controls: a name that is no table's, and a polymorphic reference ("teamType" beside it)
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".\"AuditLog\".\"createdById\""));
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".\"Note\".\"teamId\""));
  CHECK(findings_of(result, "missing_fk").size() == 2);
  // the fix runs as printed
  const auto fixed = run_fix_on_copy(db, user);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
}

TEST_CASE("missing_fk: a column name the schema's own foreign keys give to one parent key is a reference, and ID reads "
          "as Id",
          "[checks][missing_fk]")
{
  // Hoppscotch: "userUid" is a foreign key to "User".uid on six tables, and "TeamMember"."userUid"
  // had none (29 rows pointed at deleted users); "teamID" is Prisma's spelling of teamId
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s."User"(uid text primary key, "ownerUid" text);
    create table $s."Team"(id text primary key);
    create table $s."Shortcode"(id text primary key, "userUid" text references $s."User"(uid),
                                "ownerUid" text references $s."User"(uid), "refUid" text references $s."User"(uid));
    create table $s."MockServer"(id text primary key, "userUid" text references $s."User"(uid),
                                 "ownerUid" text references $s."Team"(id));
    create table $s."TeamMember"(id text primary key, "userUid" text not null, "teamID" text not null,
                                 "ownerUid" text, "refUid" text);
    insert into $s."User" select 'u' || g, null from generate_series(1, 2000) g;
    insert into $s."Team" select 't' || g from generate_series(1, 200) g;
    insert into $s."TeamMember" select 'm' || g, 'u' || (1 + g % 2000), 't' || (1 + g % 200), 'u1', 'u2'
    from generate_series(1, 5000) g;
    analyze;
  )");
  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);
  const auto& user = finding(result, "missing_fk", s + ".\"TeamMember\".\"userUid\"");
  CHECK(user.evidence.at("references") == s + ".\"User\".uid");
  CHECK(finding(result, "missing_fk", s + ".\"TeamMember\".\"teamID\"").evidence.at("references") == s + ".\"Team\".id");
  // controls: a name two keys give to two parents ("ownerUid"), a name one key gives ("refUid")
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".\"TeamMember\".\"ownerUid\""));
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".\"User\".\"ownerUid\""));
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".\"TeamMember\".\"refUid\""));
  CHECK(findings_of(result, "missing_fk").size() == 2);
  // the fix runs as printed, and the key is there
  const auto fixed = run_fix_on_copy(db, user);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(user));
}

TEST_CASE("missing_fk: a constant default that is no key of the parent is a none value: the fix stops on it, rows or not",
          "[checks][missing_fk]")
{
  // Kong's ratelimiting_metrics.route_id, default the all-zero uuid ("no route"): on an empty
  // database the fix added the key and every insert that left the column out was refused; with
  // rows, half held the default and the finding was low with the advice to delete them
  ScratchDb empty;
  const char* const schema = R"(
    create table public.routes(id uuid primary key);
    create table public.metrics(identifier text not null,
                                route_id uuid not null default '00000000-0000-0000-0000-000000000000', value int,
                                primary key (identifier, route_id));
    -- control: a default that is a row of the parent (the "main" project)
    create table public.projects(id int primary key);
    create table public.tasks(id int primary key, project_id int not null default 1);
  )";
  empty.plant("public", schema);
  empty.exec("insert into public.projects values (1)");
  const auto bare = empty.audit({"missing_fk"});
  const auto& route = finding(bare, "missing_fk", "public.metrics.route_id");
  INFO(route.message);
  CHECK(route.evidence.at("constant_default") == "'00000000-0000-0000-0000-000000000000'::uuid");
  CHECK(route.message.find("; its default, '00000000-0000-0000-0000-000000000000'::uuid, is a \"none\" no row of public.routes "
                           "holds (the all-zero uuid)") != std::string::npos);
  CHECK(route.severity == model::Severity::info);
  CHECK(route.evidence.at("none_default") == true);
  const auto stopped = run_fix_on_copy(empty, route);
  CHECK(stopped.run.refused());
  CHECK(stopped.run.errors()[0].find("the default of public.metrics.route_id, '00000000-0000-0000-0000-000000000000'::uuid, "
                                     "is no row of public.routes") != std::string::npos);
  CHECK(stopped.copy->scalar("select count(*) from pg_constraint where contype = 'f' and conrelid = 'public.metrics'::regclass") ==
        "0");
  const auto fixed = run_fix_on_copy(empty, finding(bare, "missing_fk", "public.tasks.project_id"));
  CHECK(fixed.problems().empty());

  // with rows, half of them holding the default: a "none", info
  ScratchDb loaded;
  loaded.plant("public", schema);
  loaded.exec_with_stats(R"(
    insert into public.routes select md5('r' || g)::uuid from generate_series(1, 1000) g;
    insert into public.metrics(identifier, value) select 'ip' || g, g from generate_series(1, 10000) g;
    insert into public.metrics select 'ip' || g, md5('r' || (g % 1000 + 1))::uuid, g from generate_series(1, 10000) g;
  )");
  loaded.exec_with_stats("analyze public.routes, public.metrics");
  const auto& none = finding(loaded.audit({"missing_fk"}), "missing_fk", "public.metrics.route_id");
  INFO(none.message);
  CHECK(none.severity == model::Severity::info);
  CHECK(none.evidence.at("none_sentinel") == "00000000-0000-0000-0000-000000000000");
  CHECK(none.message.find("a \"none\" the application writes, which a key would refuse") != std::string::npos);
}

TEST_CASE("missing_fk: a table's name run together with id in lower case is a reference with the key's type exactly",
          "[checks][missing_fk]")
{
  // Mattermost (gorp): UserId unquoted folds to userid; no foreign key in the whole schema
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id varchar(26) primary key);
    create table $s.channels(id varchar(26) primary key, teamid varchar(26));
    create table $s.teams(id varchar(26) primary key);
    create table $s.posts(id varchar(26) primary key, userid varchar(26), channelid varchar(26),
                          -- controls: another length than the key's, and a word that ends in "id"
                          teamid varchar(64), paid boolean);
    create table $s.pa(id boolean primary key);
    insert into $s.users select left(md5('u' || g), 26) from generate_series(1, 200) g;
    insert into $s.teams select left(md5('t' || g), 26) from generate_series(1, 5) g;
    insert into $s.channels select left(md5('c' || g), 26), left(md5('t' || (g % 5 + 1)), 26) from generate_series(1, 50) g;
    insert into $s.posts select left(md5('p' || g), 26), left(md5('u' || (g % 200 + 1)), 26),
                                left(md5('c' || (g % 50 + 1)), 26), left(md5('t' || (g % 5 + 1)), 26), g % 2 = 0
      from generate_series(1, 2000) g;
    insert into $s.pa values (true), (false);
    analyze;
  )");
  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);
  const auto& user = finding(result, "missing_fk", s + ".posts.userid");
  CHECK(user.evidence.at("references") == s + ".users.id");
  CHECK(finding(result, "missing_fk", s + ".posts.channelid").evidence.at("references") == s + ".channels.id");
  CHECK(has_finding(result, "missing_fk", s + ".channels.teamid"));
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".posts.teamid"));
  CHECK_FALSE(has_finding(result, "missing_fk", s + ".posts.paid"));
  CHECK(findings_of(result, "missing_fk").size() == 3);
  const auto fixed = run_fix_on_copy(db, user);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
}

TEST_CASE("missing_fk: a column names a table without the prefix most tables of its schema share",
          "[checks][missing_fk]")
{
  // AppFlowy Cloud: af_workspace, af_user, ...; af_quick_note.workspace_id has no foreign key.
  // Controls: a table named without the prefix goes first (project over af_project), and a
  // schema where the prefix is no majority makes no second name.
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.af_workspace(workspace_id uuid primary key default gen_random_uuid(), name text);
    create table $s.af_user(uid bigint primary key, email text);
    create table $s.af_quick_note(id bigint primary key, workspace_id uuid not null, uid bigint);
    create table $s.af_invitation(id bigint primary key, workspace_id uuid, user_id bigint);
    create table $s.af_project(project_id uuid primary key);
    create table $s.project(project_id uuid primary key);
    create table $s.af_task(task_id uuid primary key, project_id uuid not null);
    create table $s.af_chat(chat_id uuid primary key);
    insert into $s.af_workspace(name) select 'w' || g from generate_series(1, 20) g;
    insert into $s.af_quick_note select g, (select workspace_id from $s.af_workspace order by name limit 1), g
      from generate_series(1, 100) g;
    analyze;
  )");
  ScratchDb other;
  other.plant(schema, R"(
    create table $s.af_workspace(workspace_id uuid primary key);
    create table $s.af_note(id bigint primary key, workspace_id uuid);
    create table $s.notes_archive(id bigint primary key);
    create table $s.users(id bigint primary key);
    create table $s.accounts(id bigint primary key);
    create table $s.sessions(id bigint primary key);
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"missing_fk"});
  const auto& note = finding(result, "missing_fk", s + ".af_quick_note.workspace_id");
  CHECK(note.evidence.at("references") == s + ".af_workspace.workspace_id");
  CHECK(finding(result, "missing_fk", s + ".af_invitation.workspace_id").evidence.at("references") ==
        s + ".af_workspace.workspace_id");
  CHECK(finding(result, "missing_fk", s + ".af_task.project_id").evidence.at("references") == s + ".project.project_id");
  // the name user_id names af_user, whatever its key's column is called (as orders.customer_id names customers.id)
  CHECK(finding(result, "missing_fk", s + ".af_invitation.user_id").evidence.at("references") == s + ".af_user.uid");
  const auto fixed = run_fix_on_copy(db, note);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(note));
  CHECK_FALSE(has_finding(other.audit({"missing_fk"}), "missing_fk", s + ".af_note.workspace_id"));
}

TEST_CASE("missing_fk: of a parent's keys the primary key is the one referenced, then one of the column's length",
          "[checks][missing_fk]")
{
  // Logto's tenants: id varchar(21) the key, db_user varchar(128) unique; the fix made
  // aggregated_daily_active_users.tenant_id reference db_user, and the application's inserts failed
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.tenants(id varchar(21) primary key, db_user varchar(128) unique);
    create table $s.usage_a(tenant_id varchar(21) not null, day date not null, primary key (tenant_id, day));
    create table $s.devices(code varchar(16) unique, serial varchar(40) unique, note text);
    create table $s.readings(id bigint primary key, device_id varchar(40));
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"missing_fk"});
  const auto& usage = finding(result, "missing_fk", s + ".usage_a.tenant_id");
  CHECK(usage.evidence.at("references") == s + ".tenants.id");
  const auto fixed = run_fix_on_copy(db, usage);
  CHECK(fixed.problems().empty());
  fixed.copy->exec(fmt::format("insert into {0}.tenants values ('t1', 'db_t1'); insert into {0}.usage_a values ('t1', current_date)", s));
  // no primary key: the unique key of the column's length
  CHECK(finding(result, "missing_fk", s + ".readings.device_id").evidence.at("references") == s + ".devices.serial");
}

TEST_CASE("missing_fk: a log's references are info, the steps as advice", "[checks][missing_fk]")
{
  // Coder's audit_logs.user_id, workspace_agent_stats.workspace_id: append-only records that
  // outlive the rows they name; a NO ACTION key would make the application's deletes fail
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id uuid primary key);
    create table $s.workspaces(id uuid primary key);
    create table $s.audit_logs(id uuid primary key, "time" timestamptz not null, user_id uuid not null);
    create table $s.workspace_agent_stats(id uuid primary key, workspace_id uuid not null);
    create table $s.api_keys(id text primary key, user_id uuid not null);
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"missing_fk"});
  for (const auto* object : {".audit_logs.user_id", ".workspace_agent_stats.workspace_id"}) {
    const auto& f = finding(result, "missing_fk", s + object);
    INFO(f.message);
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("log_table") == true);
    CHECK(f.message.find("reads as a log by its name") != std::string::npos);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
    CHECK(f.undo.rfind("-- nothing to undo", 0) == 0);
  }
  const auto& keys = finding(result, "missing_fk", s + ".api_keys.user_id"); // control
  CHECK(keys.severity == model::Severity::low);
  CHECK(model::remediation_kind(keys.remediation) == model::RemediationKind::script);
}

TEST_CASE("missing_fk: a default of 0 for a key a sequence fills is a none value, rows or not: info", "[checks][missing_fk]")
{
  // Cal.com's avatars."teamId" default 0 -> "Team".id serial: low on an empty table, with a fix
  // that could only stop; control: a default of 0 for a key no sequence fills (0 may be a row)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.teams(id serial primary key);
    create table $s.codes(id int primary key);
    create table $s.avatars(id bigint primary key, team_id int not null default 0, code_id int not null default 0);
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"missing_fk"});
  const auto& team = finding(result, "missing_fk", s + ".avatars.team_id");
  INFO(team.message);
  CHECK(team.severity == model::Severity::info);
  CHECK(team.message.find("is a \"none\" no row of " + ident(schema) + ".teams holds (its key comes from a sequence)") != std::string::npos);
  const auto stopped = run_fix_on_copy(db, team);
  CHECK(stopped.run.refused());
  const auto& code = finding(result, "missing_fk", s + ".avatars.code_id");
  CHECK(code.severity == model::Severity::low);
  CHECK(code.evidence.at("none_default") == false);
}

TEST_CASE("missing_fk: the key takes the ON DELETE action every other key to the parent has", "[checks][missing_fk]")
{
  // Langfuse: every key to projects is ON DELETE CASCADE; the NO ACTION key proposed for
  // job_executions.project_id would make a project's delete fail. Trigger.dev's BatchTaskRun:
  // pasted as printed, it did (the application deletes projects, and their environments cascade)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.projects(id text primary key);
    create table $s.users(id text primary key);
    create table $s.teams(id text primary key);
    create table $s.prompts(id text primary key, project_id text not null references $s.projects on delete cascade);
    create table $s.datasets(id text primary key, project_id text not null references $s.projects on delete cascade);
    create table $s.job_executions(id text primary key, project_id text not null, user_id text, team_id text not null);
    create table $s.sessions(id text primary key, user_id text references $s.users);
    create table $s.tokens(id text primary key, user_id text references $s.users on delete cascade);
    -- every other key to teams sets NULL: a NOT NULL column cannot take it
    create table $s.boards(id text primary key, team_id text references $s.teams on delete set null);
    create table $s.channels(id text primary key, team_id text references $s.teams on delete set null);
    insert into $s.projects values ('p1'), ('p2');
    insert into $s.users values ('u1');
    insert into $s.teams values ('t1');
    insert into $s.job_executions values ('j1', 'p1', 'u1', 't1'), ('j2', 'p2', 'u1', 't1');
    analyze;
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"missing_fk"});
  const auto& job = finding(result, "missing_fk", s + ".job_executions.project_id");
  INFO(job.message << "\n" << job.remediation);
  CHECK(job.evidence.at("siblings_on_delete") == "CASCADE");
  CHECK(job.evidence.at("on_delete") == "CASCADE");
  CHECK(job.message.find("the other 2 foreign keys to " + ident(schema) + ".projects are all ON DELETE CASCADE, and so is the key") !=
        std::string::npos);
  CHECK(job.remediation.find("It is ON DELETE CASCADE, as the other 2 keys to " + s + ".projects are") != std::string::npos);
  CHECK(job.remediation.find("references " + s + ".projects (id) on delete cascade not valid;") != std::string::npos);
  // pasted as printed, a project's delete goes through and takes its executions along
  const auto fix = run_fix_on_copy(db, job);
  INFO(fix.run.output);
  CHECK(fix.problems().empty());
  const auto deleted = run_psql_script(*fix.copy, with_schema(schema, "delete from $s.projects where id = 'p1';"));
  CHECK(deleted.errors().empty());
  CHECK(fix.copy->scalar(with_schema(schema, "select string_agg(id, ',') from $s.job_executions")) == "j2");
  // control: keys to users with two actions: NO ACTION, said as before
  const auto& user = finding(result, "missing_fk", s + ".job_executions.user_id");
  CHECK(user.evidence.at("siblings_on_delete").is_null());
  CHECK(user.evidence.at("on_delete") == "NO ACTION");
  CHECK(user.remediation.find("references " + s + ".users (id) not valid;") != std::string::npos);
  // SET NULL on a NOT NULL column cannot be: NO ACTION, and the message says why
  const auto& team = finding(result, "missing_fk", s + ".job_executions.team_id");
  CHECK(team.evidence.at("on_delete") == "NO ACTION");
  CHECK(team.message.find("are all ON DELETE SET NULL, which job_executions.team_id cannot take (NOT NULL)") != std::string::npos);
}
