#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/test_db.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace test;

namespace {

const char* const k_tenant_schema = R"(
  create table $s.tenants(id bigint primary key, name text);
  create table $s.projects(id bigint primary key, tenant_id bigint not null references $s.tenants(id), name text);
  create table $s.tasks(id bigint primary key, tenant_id bigint not null,
                        project_id bigint references $s.projects(id), title text);
  -- control: the foreign key carries the tenant
  create unique index projects_tenant_id_id_key on $s.projects(tenant_id, id);
  create table $s.comments(id bigint primary key, tenant_id bigint not null, project_id bigint,
                           foreign key (tenant_id, project_id) references $s.projects(tenant_id, id));
  -- control: only the child has a tenant key
  create table $s.countries(code text primary key);
  create table $s.offices(id bigint primary key, tenant_id bigint, country text references $s.countries(code));
  -- control: a CRM whose customer companies are "accounts": account_id is a tenant key name, but
  -- the key carries tenant_id, the tenant; the child's account_id is an ordinary column
  create table $s.accounts(id bigint primary key, tenant_id bigint not null, name text, unique (tenant_id, id));
  create table $s.contacts(id bigint primary key, tenant_id bigint not null, account_id bigint, unique (tenant_id, id));
  create table $s.deals(id bigint primary key, tenant_id bigint not null, account_id bigint, contact_id bigint,
                        foreign key (tenant_id, contact_id) references $s.contacts(tenant_id, id));
)";

} // namespace

TEST_CASE("cross_tenant_fk: flags foreign keys between tenant tables that leave the tenant out",
          "[checks][versioned][cross_tenant_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_tenant_schema);
  db.plant(schema, R"(
    -- control: two tenancies (coder's builds): a build's workspace, its job's organization; no key
    -- compares a workspace_id with an organization_id
    create table $s.workspaces(id bigint primary key, organization_id bigint not null);
    create table $s.provisioner_jobs(id bigint primary key, organization_id bigint not null);
    create table $s.workspace_builds(id bigint primary key, workspace_id bigint not null references $s.workspaces(id),
                                     job_id bigint not null references $s.provisioner_jobs(id));
    create table $s.agent_stats(id bigint primary key, workspace_id bigint not null);
  )");

  const auto result = db.audit({"cross_tenant_fk"});
  const auto s = ident(schema);

  const auto& f = finding(result, "cross_tenant_fk", ident(schema) + ".tasks.tasks_project_id_fkey");
  CHECK(f.evidence["tenant_column"] == "tenant_id");
  // projects_tenant_id_id_key, the unique index the comments control references, serves the new key as it is
  CHECK(f.remediation.find("create unique index") == std::string::npos);
  CHECK(f.remediation.find("create index concurrently if not exists tasks_tenant_id_project_id_idx on " + s +
                           ".tasks (tenant_id, project_id);") != std::string::npos);
  CHECK(f.remediation.find("foreign key (tenant_id, project_id) references " + s + ".projects (tenant_id, id) not valid;") !=
        std::string::npos);
  CHECK(f.remediation.find("validate constraint tasks_tenant_id_project_id_fkey;") != std::string::npos);

  CHECK_FALSE(has_finding(result, "cross_tenant_fk", ident(schema) + ".workspace_builds.workspace_builds_job_id_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", ident(schema) + ".projects.projects_tenant_id_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", ident(schema) + ".comments.comments_tenant_id_project_id_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", ident(schema) + ".offices.offices_country_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", ident(schema) + ".deals.deals_tenant_id_contact_id_fkey"));
  CHECK(findings_of(result, "cross_tenant_fk").size() == 1);
}

TEST_CASE("cross_tenant_fk: a key of a table to itself, by a tenant other tables share, its tenant index dropped and "
          "recreated once, not on the only table with the column nor by a column unique in every table",
          "[checks][versioned][cross_tenant_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_tenant_schema);
  db.plant(schema, R"(
    create table $s.notes(id bigint primary key, tenant_id bigint not null, parent_id bigint references $s.notes(id));
    create index notes_by_tenant on $s.notes(tenant_id);
    insert into $s.tenants values (1, 't');
    insert into $s.notes values (1, 1, null), (2, 1, 1);
    -- control: the only table with a workspace_id (a tenant key name), a transfer whose reverse is
    -- on the other party's workspace (a public Rails schema's billing, there account_id): an
    -- ordinary column, not a tenant
    create table $s.transfers(id bigint primary key, workspace_id bigint not null, reverse_id bigint references $s.transfers(id));
    -- control: org_id unique on its own in every table that has it (travis-ci keeps each row's id
    -- in its other database there): one row per value names no tenant
    create table $s.builds(id bigint primary key, org_id bigint unique);
    create table $s.branches(id bigint primary key, org_id bigint unique, last_build_id bigint references $s.builds(id));
  )");
  const auto result = db.audit({"cross_tenant_fk"});
  const auto s = ident(schema);
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", s + ".transfers.transfers_reverse_id_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", s + ".branches.branches_last_build_id_fkey"));
  const auto& notes = finding(result, "cross_tenant_fk", s + ".notes.notes_parent_id_fkey");
  const std::string recreate = "create index concurrently if not exists notes_by_tenant ON " + s + ".notes USING btree (tenant_id);";
  const auto first = notes.undo.find(recreate);
  CHECK(first != std::string::npos);
  CHECK(notes.undo.find(recreate, first + 1) == std::string::npos);

  const auto fixed = run_fix_on_copy(db, notes);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(notes));
  const auto undone = run_psql_script(*fixed.copy, notes.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(fixed.copy->scalar(with_schema(schema, "select to_regclass('$s.notes_by_tenant') is not null")) == "t");
}

TEST_CASE("cross_tenant_fk: severity from the child's rows: info on an empty child, low on a tiny one, else medium",
          "[checks][versioned][cross_tenant_fk]")
{
  ScratchDb db;
  db.plant(k_public_schema, k_tenant_schema);
  const auto tasks = [&](const audit::Config& config) {
    return finding(db.audit({"cross_tenant_fk"}, config), "cross_tenant_fk", "public.tasks.tasks_project_id_fkey");
  };
  // a schema just migrated: never analyzed, its file empty (Lago's empty children): no row can
  // cross tenants yet
  CHECK(tasks(audit::default_config()).severity == model::Severity::info);
  // rows in it, never analyzed: its file of one page cannot hold small_rows (Sourcegraph's four seed
  // prompts were medium)
  db.exec("insert into public.tenants values (1, 't'); insert into public.projects values (1, 1, 'p');"
          "insert into public.tasks select g, 1, 1, 'task' from generate_series(1, 4) g");
  CHECK(tasks(audit::default_config()).severity == model::Severity::low);
  db.exec("delete from public.tasks");
  db.exec("insert into public.tasks select g, 1, 1, 'task' from generate_series(1, 50) g; analyze");
  const auto tiny = tasks(audit::default_config());
  CHECK(tiny.severity == model::Severity::low);
  CHECK(tiny.evidence.at("rows_estimate") == 50);
  auto config = audit::default_config();
  config.checks["cross_tenant_fk"].params["small_rows"] = "10";
  CHECK(tasks(config).severity == model::Severity::medium);

  // a partitioned child: its rows are its leaves' (its own estimate stays -1 until the whole
  // table is analyzed); never loaded it is as empty as a plain one
  db.exec("create table public.events(id bigint, tenant_id bigint not null, project_id bigint references public.projects(id),"
          " at date not null) partition by range (at);"
          "create table public.events_2026 partition of public.events for values from ('2026-01-01') to ('2027-01-01')");
  const auto events = [&](const audit::Config& c) {
    return finding(db.audit({"cross_tenant_fk"}, c), "cross_tenant_fk", "public.events.events_project_id_fkey");
  };
  CHECK(events(audit::default_config()).severity == model::Severity::info);
  db.exec("insert into public.events select g, 1, 1, date '2026-01-01' + g % 300 from generate_series(1, 50) g;"
          "analyze public.events_2026");
  CHECK(events(audit::default_config()).evidence.at("rows_estimate") == 50);
  CHECK(events(audit::default_config()).severity == model::Severity::low);
  CHECK(events(config).severity == model::Severity::medium);
}

TEST_CASE("cross_tenant_fk: an index on the key's own column serves the new key, and an undo keeps the parent's "
          "index another key uses",
          "[checks][versioned][cross_tenant_fk]")
{
  // Lago's fees: each key column had its own index, and the fix built a second (tenant, column)
  // index for each of its ten keys; undone in turn, 151 of 204 undos failed on the parent's
  // (tenant, id) index that the next key still used
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.orgs(id bigint primary key);
    create table public.invoices(id bigint primary key, organization_id bigint not null references public.orgs);
    create table public.fees(id bigint primary key, organization_id bigint not null references public.orgs,
                             invoice_id bigint references public.invoices, original_invoice_id bigint references public.invoices);
    create index fees_invoice_id_idx on public.fees(invoice_id);
    create index fees_organization_id_idx on public.fees(organization_id);
    insert into public.orgs values (1), (2);
    insert into public.invoices select g, g % 2 + 1 from generate_series(1, 3000) g;
    insert into public.fees select g, g % 2 + 1, g, case when g % 3 = 0 then g end from generate_series(1, 3000) g;
    analyze;
  )");
  const auto result = db.audit({"cross_tenant_fk", "fk_without_index"});
  const auto& indexed = finding(result, "cross_tenant_fk", "public.fees.fees_invoice_id_fkey");
  INFO(indexed.remediation);
  CHECK(indexed.remediation.find("create index concurrently if not exists fees_organization_id_invoice_id_idx") ==
        std::string::npos);
  // nor a guard on it (Formbricks, Kong: the fix checked for a leftover of an index it never builds)
  CHECK(indexed.remediation.find("fees_organization_id_invoice_id_idx") == std::string::npos);
  // control: the other key has no index of its own, and gets the (tenant, key) one
  const auto& unindexed = finding(result, "cross_tenant_fk", "public.fees.fees_original_invoice_id_fkey");
  CHECK(unindexed.remediation.find("create index concurrently if not exists fees_organization_id_original_invoice_id_idx") !=
        std::string::npos);
  // both fixes, then the undo of one: the parent's (organization_id, id) index stays for the other
  ScratchDb copy(db.name());
  REQUIRE(run_psql_script(copy, indexed.remediation).errors().empty());
  REQUIRE(run_psql_script(copy, unindexed.remediation).errors().empty());
  const auto parent_index = "select count(*) from pg_index where indrelid = 'public.invoices'::regclass and indisunique "
                            "and indnatts = 2";
  REQUIRE(copy.scalar(parent_index) == "1");
  // the new (organization_id, invoice_id) key is served by the index on invoice_id: fk_without_index agrees
  run_psql_script(copy, "analyze;");
  CHECK(findings_of(copy.audit({"fk_without_index"}), "fk_without_index").empty());
  const auto undone = run_psql_script(copy, unindexed.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(undone.output.find("kept, another foreign key uses it") != std::string::npos);
  CHECK(copy.scalar(parent_index) == "1");
  CHECK(copy.scalar("select count(*) from pg_constraint where conrelid = 'public.fees'::regclass and contype = 'f' "
                    "and cardinality(conkey) = 2") == "1");
  // the last undo takes the parent's index away
  CHECK(run_psql_script(copy, indexed.undo).errors().empty());
  CHECK(copy.scalar(parent_index) == "0");
}

TEST_CASE("cross_tenant_fk: the tenant keys come from the config", "[checks][versioned][cross_tenant_fk]")
{
  ScratchDb db;
  db.plant(k_public_schema, k_tenant_schema);
  auto config = audit::default_config();
  config.globals["tenant_keys"] = util::pg_array_literal({"workspace_id"});
  CHECK(findings_of(db.audit({"cross_tenant_fk"}, config), "cross_tenant_fk").empty());
}

TEST_CASE("cross_tenant_fk: a tenant key matches its camelCase form, as Prisma names columns", "[checks][versioned][cross_tenant_fk]")
{
  // Formbricks: ~40 tables carry "workspaceId"; the default tenant_keys (workspace_id, ...) named
  // none, so a survey referencing another workspace's segment was not found, and an index led by
  // the key's other column did not serve a key that holds the tenant (fk_without_index,
  // unused_index)
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table "Workspace"(id text primary key);
    create table "Segment"(id text primary key, "workspaceId" text not null references "Workspace");
    create table "Survey"(id text primary key, "workspaceId" text not null references "Workspace",
                          "segmentId" text references "Segment");
    create index on "Segment"("workspaceId");
    create index on "Survey"("workspaceId");
    create index on "Survey"("segmentId");
    create table "AttrKey"(id text primary key, "workspaceId" text not null references "Workspace", key text not null,
                           unique (key, "workspaceId"));
    create table "Attr"(id text primary key, "workspaceId" text not null references "Workspace", "attrKey" text not null,
                        foreign key ("attrKey", "workspaceId") references "AttrKey"(key, "workspaceId"));
    create index on "Attr"("attrKey");
    create index on "Attr"("workspaceId");
    -- Hoppscotch spells the team's key "teamID": team_id in tenant_keys names it too
    create table "Team"(id text primary key);
    create table "TeamCollection"(id text primary key, "teamID" text not null references "Team");
    create table "TeamRequest"(id text primary key, "teamID" text not null references "Team",
                               "collectionID" text not null references "TeamCollection");
    create index on "TeamRequest"("collectionID");
  )");
  const auto result = db.audit({"cross_tenant_fk", "fk_without_index"});
  CHECK(has_finding(result, "cross_tenant_fk", "public.\"Survey\".\"Survey_segmentId_fkey\""));
  // the message names the objects as SQL does, so that a name copied from it works
  CHECK(finding(result, "cross_tenant_fk", "public.\"Survey\".\"Survey_segmentId_fkey\"")
          .message.rfind("foreign key \"Survey_segmentId_fkey\" on public.\"Survey\" references public.\"Segment\" ", 0) == 0);
  auto teams = audit::default_config();
  teams.globals["tenant_keys"] = audit::parse_config("[audit]\ntenant_keys = [\"team_id\"]\n", "t.toml").globals.at("tenant_keys");
  CHECK(has_finding(db.audit({"cross_tenant_fk"}, teams), "cross_tenant_fk", "public.\"TeamRequest\".\"TeamRequest_collectionID_fkey\""));
  CHECK_FALSE(has_finding(result, "fk_without_index", "public.\"Attr\".\"Attr_attrKey_workspaceId_fkey\""));
  // control: a configured name without an underscore is matched as it is
  auto config = audit::default_config();
  config.globals["tenant_keys"] = util::pg_array_literal({"tenant"});
  CHECK(findings_of(db.audit({"cross_tenant_fk"}, config), "cross_tenant_fk").empty());
}

namespace {

// A Rails-style multi-tenant schema: uuid keys, organization_id tenancy, foreign keys with
// actions, a table name of 50+ bytes whose two generated names collide at 63 bytes, a name the
// fix would take already in use, a partitioned child, a nullable child tenant, and the controls:
// a parent with global rows (organization_id NULL: predefined roles shared by every tenant).
const char* const k_saas_schema = R"(
  create table $s.organizations(id uuid primary key, name text);
  create table $s.projects(id uuid primary key, organization_id uuid not null references $s.organizations(id), name text);
  create table $s.tasks(id uuid primary key, organization_id uuid not null,
                        project_id uuid references $s.projects(id) on delete cascade deferrable initially deferred);
  create table $s.comments(id bigint primary key, organization_id uuid not null,
                           task_id uuid references $s.tasks(id) on delete set null on update cascade);
  create table $s.subscription_invoice_line_item_adjustment_allocations(
    id bigint primary key, organization_id uuid not null,
    source_project_reference_id uuid references $s.projects(id) on delete restrict,
    source_project_reference_id_2 uuid references $s.projects(id) match full);
  create table $s.notes(id bigint primary key, organization_id uuid, project_id uuid references $s.projects(id));
  create table $s.events(id bigint, organization_id uuid not null, at date not null,
                         project_id uuid references $s.projects(id) on delete cascade) partition by range (at);
  create table $s.events_2024 partition of $s.events for values from ('2024-01-01') to ('2025-01-01');
  create table $s.events_2025 partition of $s.events for values from ('2025-01-01') to ('2026-01-01');
  -- the child index name the fix would use for tasks is taken (by a table)
  create table $s.tasks_organization_id_project_id_idx(x int);
  -- indexes on the tenant column alone, of a child and of a parent: the fix's (organization_id, ...)
  -- indexes make them left prefixes (redundant_index); a partial one is none and stays
  create index tasks_by_organization on $s.tasks(organization_id);
  create index projects_by_organization on $s.projects(organization_id);
  create index tasks_recent_by_organization on $s.tasks(organization_id) where project_id is not null;
  -- control: global roles
  create table $s.roles(id uuid primary key, organization_id uuid references $s.organizations(id), name text);
  create table $s.memberships(id bigint primary key, organization_id uuid not null, role_id uuid references $s.roles(id));

  insert into $s.organizations select md5('org' || g)::uuid, 'org ' || g from generate_series(1, 3) g;
  insert into $s.projects select md5('project' || g)::uuid, md5('org' || g % 3 + 1)::uuid from generate_series(1, 30) g;
  insert into $s.tasks select md5('task' || g)::uuid, md5('org' || g % 3 + 1)::uuid, md5('project' || g)::uuid
    from generate_series(1, 30) g;
  insert into $s.comments select g, md5('org' || g % 3 + 1)::uuid, md5('task' || g)::uuid from generate_series(1, 30) g;
  insert into $s.subscription_invoice_line_item_adjustment_allocations
    select g, md5('org' || g % 3 + 1)::uuid, md5('project' || g)::uuid, md5('project' || g)::uuid from generate_series(1, 30) g;
  insert into $s.notes select g, case when g > 5 then md5('org' || g % 3 + 1)::uuid end, md5('project' || g)::uuid
    from generate_series(1, 30) g;
  insert into $s.events select g, md5('org' || g % 3 + 1)::uuid, date '2024-06-01' + g * 10, md5('project' || g)::uuid
    from generate_series(1, 30) g;
  insert into $s.roles values (md5('admin')::uuid, null, 'admin');
  insert into $s.roles select md5('role' || g)::uuid, md5('org' || g)::uuid, 'custom' from generate_series(1, 3) g;
  insert into $s.memberships select g, md5('org' || g % 3 + 1)::uuid,
    case when g % 2 = 0 then md5('admin')::uuid else md5('role' || g % 3 + 1)::uuid end from generate_series(1, 30) g;
  analyze;
)";

const char* const k_saas_findings[] = {
  ".tasks.tasks_project_id_fkey",
  ".comments.comments_task_id_fkey",
  ".subscription_invoice_line_item_adjustment_allocations.subscription_invoice_line_item_source_project_reference_id_fkey",
  ".subscription_invoice_line_item_adjustment_allocations.subscription_invoice_line_ite_source_project_reference_id__fkey",
  ".notes.notes_project_id_fkey",
  ".events.events_project_id_fkey",
};

} // namespace

TEST_CASE("cross_tenant_fk: every fix runs on a copy, keeps what the original enforced and is not reported again",
          "[checks][versioned][cross_tenant_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_saas_schema);
  const auto result = db.audit({"cross_tenant_fk", "fk_without_index", "redundant_index"});

  const auto rows = findings_of(result, "cross_tenant_fk");
  for (const auto* object : k_saas_findings) {
    CHECK(has_finding(result, "cross_tenant_fk", ident(schema) + object));
  }
  CHECK(rows.size() == std::size(k_saas_findings));
  // a parent whose tenant is NULL on global rows: a composite key would refuse the global roles
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", ident(schema) + ".memberships.memberships_role_id_fkey"));

  const auto& tasks = finding(result, "cross_tenant_fk", ident(schema) + ".tasks.tasks_project_id_fkey");
  CHECK(tasks.remediation.find("on delete cascade deferrable initially deferred not valid;") != std::string::npos);
  CHECK(tasks.remediation.find("tasks_organization_id_project_id_idx_") != std::string::npos); // the taken name
  CHECK(tasks.undo.find("alter table " + ident(schema) + ".tasks add constraint tasks_project_id_fkey FOREIGN KEY (project_id)") !=
        std::string::npos);
  // ON DELETE SET NULL of task_id alone: from 15 on the composite key names the column it clears;
  // before 15 it cannot, and there is no fix, only the reason (the round trip leaves it out)
  const auto& comments = finding(result, "cross_tenant_fk", ident(schema) + ".comments.comments_task_id_fkey");
  auto fixable = rows;
  if (cluster_major() >= 15) {
    CHECK(comments.remediation.find("on delete set null (task_id) not valid;") != std::string::npos);
    CHECK(comments.remediation.find("on update cascade") == std::string::npos);
    CHECK(comments.evidence.at("update_action_dropped") == "CASCADE");
  } else {
    CHECK(comments.remediation.rfind("-- no fix on PostgreSQL 1", 0) == 0);
    CHECK(comments.remediation.find("\nalter table") == std::string::npos);
    CHECK(comments.undo.empty());
    fixable.erase(std::remove_if(fixable.begin(), fixable.end(),
                                 [&](const model::Finding& f) { return f.object == comments.object; }),
                  fixable.end());
  }

  // the indexes on organization_id alone go last, once the new key is validated; the undo puts them back
  CHECK(tasks.remediation.find("-- 5. an index on the tenant column alone is a left prefix of a new one") >
        tasks.remediation.find("validate constraint"));
  CHECK(tasks.undo.find("create index concurrently if not exists tasks_by_organization ON " + ident(schema) +
                        ".tasks USING btree (organization_id);") != std::string::npos);
  CHECK(tasks.undo.find("create index concurrently if not exists projects_by_organization ON " + ident(schema) +
                        ".projects USING btree (organization_id);") != std::string::npos);
  CHECK(tasks.undo.find("tasks_recent_by_organization") == std::string::npos);

  const auto all = check_every_fix_runs(db, fixable, {"cross_tenant_fk"});
  // the composite key comes with its child index, and the tenant-only indexes it makes redundant
  // are dropped: the fixes create no fk_without_index or redundant_index finding
  const auto again = all.copy->audit({"fk_without_index", "redundant_index"});
  for (const auto& created : again.findings) {
    INFO(created.check_id << " " << created.object);
    CHECK(has_finding(result, created.check_id, created.object));
  }
  const auto exists = [&](const char* index) {
    return all.copy->scalar(with_schema(schema, std::string("select to_regclass('$s.") + index + "') is not null"));
  };
  CHECK(exists("tasks_by_organization") == "f");
  CHECK(exists("projects_by_organization") == "f");
  CHECK(exists("tasks_recent_by_organization") == "t");
}

TEST_CASE("cross_tenant_fk: the fix stops on rows that cross tenants and keeps the original", "[checks][versioned][cross_tenant_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_saas_schema);
  const auto result = db.audit({"cross_tenant_fk"});

  struct Violation
  {
    const char* object;
    const char* rows;
  };
  // a row of organization 1 that references a project of organization 2 (md5('project1') belongs to org 2)
  const Violation violations[] = {
    {".tasks.tasks_project_id_fkey", "insert into $s.tasks values (md5('x')::uuid, md5('org1')::uuid, md5('project1')::uuid)"},
    {".subscription_invoice_line_item_adjustment_allocations.subscription_invoice_line_item_source_project_reference_id_fkey",
     "insert into $s.subscription_invoice_line_item_adjustment_allocations values (99, md5('org1')::uuid, md5('project1')::uuid, null)"},
    {".events.events_project_id_fkey", "insert into $s.events values (99, md5('org1')::uuid, '2024-03-01', md5('project1')::uuid)"},
  };
  for (const auto& v : violations) {
    const auto& f = finding(result, "cross_tenant_fk", ident(schema) + v.object);
    const auto fix = check_fix_stops(db, f, with_schema(schema, v.rows),
                                     {"1 rows of", "of another tenant", "list them with: select c.* from"});
    // nothing half-done is left: no replacement key, and the indexes on the tenant alone stay
    CHECK(fix.copy->scalar("select count(*) from pg_constraint where contype = 'f' and cardinality(conkey) = 2 "
                           "and conname ~ '^(tasks|subscription|events)'") == "0");
    CHECK(fix.copy->scalar(with_schema(schema, "select to_regclass('$s.tasks_by_organization') is not null and "
                                               "to_regclass('$s.projects_by_organization') is not null")) == "t");
  }
}

TEST_CASE("cross_tenant_fk: the composite key leaves ON UPDATE CASCADE out: a parent's new tenant never moves its children",
          "[checks][versioned][cross_tenant_fk]")
{
  // Cal.com (Prisma's default ON UPDATE CASCADE): users."movedToProfileId" -> Profile; with the
  // action carried over, updating a profile's organization silently moved the user to it
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.profiles(id bigint primary key, organization_id bigint not null);
    create table $s.users(id bigint primary key, organization_id bigint not null,
                          moved_to_profile_id bigint references $s.profiles(id) on update cascade on delete cascade);
    insert into $s.profiles select g, g % 5 from generate_series(1, 200) g;
    insert into $s.users select g, g % 5, g from generate_series(1, 200) g;
    analyze;
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"cross_tenant_fk"});
  const auto& f = finding(result, "cross_tenant_fk", s + ".users.users_moved_to_profile_id_fkey");
  INFO(f.remediation);
  CHECK(f.evidence.at("update_action_dropped") == "CASCADE");
  CHECK(f.remediation.find("with the original's actions but ON UPDATE CASCADE") != std::string::npos);
  const auto fix = run_fix_on_copy(db, f);
  INFO(fix.run.output);
  CHECK(fix.problems().empty());
  const auto def = fix.copy->scalar(fmt::format("select pg_get_constraintdef(oid) from pg_constraint where conrelid = "
                                                "'{}.users'::regclass and contype = 'f'", s)).value_or("");
  CHECK(def.find("FOREIGN KEY (organization_id, moved_to_profile_id)") == 0);
  CHECK(def.find("ON DELETE CASCADE") != std::string::npos);
  CHECK(def.find("ON UPDATE") == std::string::npos);
  // the profile's new tenant is refused while a user references it; the user stays in its tenant
  const auto moved = run_psql_script(*fix.copy, fmt::format("update {}.profiles set organization_id = 7 where id = 3;", s));
  CHECK_FALSE(moved.errors().empty());
  CHECK(fix.copy->scalar(fmt::format("select organization_id from {}.users where id = 3", s)) == std::optional<std::string>("3"));
  // deletes still cascade
  fix.copy->exec(fmt::format("delete from {}.profiles where id = 4", s));
  CHECK(fix.copy->scalar(fmt::format("select count(*) from {}.users where id = 4", s)) == std::optional<std::string>("0"));
  // the undo puts the original back, with its ON UPDATE CASCADE
  check_undo_gives_back(db, *fix.copy, f.undo);
}

TEST_CASE("cross_tenant_fk: the replacement takes the original's name and comment and the undo gives them back, and run "
          "again the fix changes nothing and says so",
          "[checks][versioned][cross_tenant_fk]")
{
  // Hoppscotch: TeamCollection_parentID_fkey's comment was lost by the fix and by its undo, and a
  // second run said the original "is kept", as if the first had failed; and the key had a new
  // name, which an application that maps constraint names to errors, or a migration that drops
  // the key by name, does not find
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.teams(id bigint primary key);
    create table $s.collections(id bigint primary key, team_id bigint not null references $s.teams(id),
                                parent_id bigint, constraint collections_parent_id_fkey foreign key (parent_id)
                                  references $s.collections(id) on delete cascade);
    create table $s.environments(id bigint primary key, team_id bigint not null references $s.teams(id));
    comment on constraint collections_parent_id_fkey on $s.collections is 'the collection tree';
    insert into $s.teams select g from generate_series(1, 50) g;
    insert into $s.collections select g, 1 + g % 50, null from generate_series(1, 1000) g;
    insert into $s.collections select 1000 + g, 1 + g % 50, g from generate_series(1, 1000) g;
    insert into $s.environments select g, 1 + g % 50 from generate_series(1, 100) g;
    analyze;
  )");
  const auto s = ident(schema);
  auto config = audit::default_config();
  config.globals["tenant_keys"] = util::pg_array_literal({"team_id"});
  const auto result = db.audit({"cross_tenant_fk"}, config);
  const auto& f = finding(result, "cross_tenant_fk", s + ".collections.collections_parent_id_fkey");
  INFO(f.remediation);
  const auto comment_of = [&](const ScratchDb& on) {
    return on.scalar(fmt::format("select string_agg(c.conname || ': ' || coalesce(obj_description(c.oid, 'pg_constraint'), '-'), "
                                 "', ' order by c.conname) from pg_constraint c where c.conrelid = '{}.collections'::regclass "
                                 "and c.contype = 'f' and c.confrelid = c.conrelid", s)).value_or("");
  };
  // the key named collections_parent_id_fkey: its columns, and those it references
  const auto key_of = [&](const ScratchDb& on) {
    return on.scalar(fmt::format("select (select string_agg(attname, ', ' order by attnum) from pg_attribute where attrelid = conrelid "
                                 "and attnum = any (conkey)) || ' -> ' || (select string_agg(attname, ', ' order by attnum) "
                                 "from pg_attribute where attrelid = confrelid and attnum = any (confkey)) from pg_constraint "
                                 "where conrelid = '{}.collections'::regclass and conname = 'collections_parent_id_fkey'", s))
      .value_or("");
  };
  const auto fix = run_fix_on_copy(db, f);
  INFO(fix.run.output);
  REQUIRE(fix.problems().empty());
  CHECK(comment_of(*fix.copy) == "collections_parent_id_fkey: the collection tree");
  CHECK(key_of(*fix.copy) == "team_id, parent_id -> id, team_id");
  const auto again = run_again(*fix.copy, f.remediation);
  INFO(again.run.output);
  CHECK(again.run.errors().empty());
  CHECK(again.run.output.find("foreign key collections_parent_id_fkey on " + s +
                              ".collections includes its tenant already: nothing to do") != std::string::npos);
  CHECK(again.changed.empty());
  CHECK(comment_of(*fix.copy) == "collections_parent_id_fkey: the collection tree");
  check_undo_gives_back(db, *fix.copy, f.undo);
  CHECK(comment_of(*fix.copy) == "collections_parent_id_fkey: the collection tree");
  CHECK(key_of(*fix.copy) == "parent_id -> id");
}

TEST_CASE("cross_tenant_fk: a nullable parent tenant ANALYZE has not read may hold global rows: advice until it has",
          "[checks][versioned][cross_tenant_fk]")
{
  // Ory Kratos: identities.organization_id is optional, and the application writes settings flows
  // with an organization for identities without one; the composite key refused them
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.identities(id uuid primary key, organization_id uuid);
    create table $s.settings_flows(id uuid primary key, organization_id uuid not null,
                                   identity_id uuid not null references $s.identities(id) on delete cascade);
  )");
  const auto s = ident(schema);
  auto result = db.audit({"cross_tenant_fk"});
  const auto object = s + ".settings_flows.settings_flows_identity_id_fkey";
  const auto& advice = finding(result, "cross_tenant_fk", object);
  INFO(advice.remediation);
  CHECK(model::remediation_kind(advice.remediation) == model::RemediationKind::advice);
  CHECK(advice.evidence.at("parent_tenant_unverified") == true);
  CHECK(advice.message.find("can be NULL and ANALYZE has not read it yet") != std::string::npos);
  CHECK(advice.undo.empty());
  // with its data read and no NULL in it, the script
  db.exec_with_stats(fmt::format("insert into {0}.identities select md5('i' || g)::uuid, md5('o' || g % 3)::uuid "
                                 "from generate_series(1, 50) g; analyze {0}.identities", s));
  result = db.audit({"cross_tenant_fk"});
  const auto& script = finding(result, "cross_tenant_fk", object);
  CHECK(model::remediation_kind(script.remediation) == model::RemediationKind::script);
  CHECK(script.evidence.at("parent_tenant_unverified") == false);
}

TEST_CASE("cross_tenant_fk: a plain index on the parent's (tenant, key) is dropped once the unique one the key needs is valid",
          "[checks][versioned][cross_tenant_fk]")
{
  // Logto's roles__id on (tenant_id, id), Kratos' identities_nid_id_idx: the fix built the unique
  // (tenant, key) index beside it, and the next audit found a duplicate_index
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.roles(tenant_id text not null, id text primary key, name text);
    create index roles__id on $s.roles(tenant_id, id);
    create table $s.user_roles(tenant_id text not null, id text primary key,
                               role_id text not null references $s.roles(id) on delete cascade);
    create index user_roles__tenant_role on $s.user_roles(tenant_id, role_id);
    insert into $s.roles select 't' || (g % 5), 'r' || g, 'role' from generate_series(1, 300) g;
    insert into $s.user_roles select 't' || (g % 5), 'u' || g, 'r' || g from generate_series(1, 300) g;
    analyze;
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"cross_tenant_fk"});
  const auto& f = finding(result, "cross_tenant_fk", s + ".user_roles.user_roles_role_id_fkey");
  CHECK(f.evidence.at("drops_indexes") == nlohmann::json{s + ".roles__id"});
  const auto fix = run_fix_on_copy(db, f);
  INFO(fix.run.output);
  CHECK(fix.problems().empty());
  CHECK(fix.run.output.find("roles__id is a duplicate of " + s + ".roles_tenant_id_id_key and is dropped") != std::string::npos);
  CHECK_FALSE(fix.copy->scalar(fmt::format("select to_regclass('{}.roles__id')::text", s)).has_value());
  const auto after = fix.copy->audit({"duplicate_index", "redundant_index", "cross_tenant_fk"});
  CHECK(findings_of(after, "duplicate_index").empty());
  CHECK(findings_of(after, "cross_tenant_fk").empty());
  // the undo builds it again
  check_undo_gives_back(db, *fix.copy, f.undo);
}

TEST_CASE("cross_tenant_fk: a key NULL in every row references no parent yet: low", "[checks][versioned][cross_tenant_fk]")
{
  // Cal.com's users."movedToProfileId": medium, with no row referencing a profile
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.profiles(id bigint primary key, organization_id bigint not null);
    create table $s.users(id bigint primary key, organization_id bigint not null,
                          moved_to_profile_id bigint references $s.profiles(id),
                          profile_id bigint references $s.profiles(id));
    insert into $s.profiles select g, g % 5 from generate_series(1, 2000) g;
    insert into $s.users select g, g % 5, null, g from generate_series(1, 2000) g;
    analyze;
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"cross_tenant_fk"});
  const auto& moved = finding(result, "cross_tenant_fk", s + ".users.users_moved_to_profile_id_fkey");
  CHECK(moved.severity == model::Severity::low);
  CHECK(moved.message.find("NULL in every row: no row references a parent yet") != std::string::npos);
  CHECK(finding(result, "cross_tenant_fk", s + ".users.users_profile_id_fkey").severity == model::Severity::medium); // control
}
