#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <random>

using namespace test;

namespace {

// Tenant tables isolated by row level security, one left out, and a table without a tenant key.
const char* const k_plant = R"(
  create table $s.projects(id bigint primary key, organization_id bigint not null, name text);
  create table $s.tasks(id bigint primary key, organization_id bigint not null, title text);
  create table $s.countries(code text primary key);
  insert into $s.projects select g, 1 + g % 2, 'p' || g from generate_series(1, 10) g;
  insert into $s.tasks select g, 1 + g % 2, 't' || g from generate_series(1, 10) g;
  alter table $s.projects enable row level security;
  create policy projects_tenant on $s.projects
    using (organization_id = current_setting('app.organization_id')::bigint);
)";

} // namespace

TEST_CASE("rls_disabled: a tenant table left without the row level security its siblings have gets their policy, and "
          "then shows a tenant only its own rows",
          "[checks][rls_disabled][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto result = db.audit({"rls_disabled"});
  const auto s = ident(schema);
  REQUIRE(findings_of(result, "rls_disabled").size() == 1);
  const auto& f = finding(result, "rls_disabled", s + ".tasks");
  CHECK(f.severity == model::Severity::high);
  CHECK(f.evidence["policy_from"] == s + ".projects");
  CHECK_FALSE(has_finding(result, "rls_disabled", s + ".countries")); // no tenant key

  const auto fixed = check_every_fix_runs(db, {f}, {"rls_disabled"});
  // A role of the application's (the cluster's, so made and dropped here): it sees its tenant's
  // tasks only, as it sees its tenant's projects.
  const auto role = fmt::format("sa_tenant_{}", std::random_device{}());
  fixed.copy->exec(fmt::format("create role {}; grant usage on schema {} to {}; grant select on all tables in schema {} to {}",
                               role, s, role, s, role));
  const auto count = fmt::format("set role {}; set app.organization_id = '1'; select count(*) from {}.tasks", role, s);
  const auto seen = fixed.copy->scalar(count);
  fixed.copy->exec(fmt::format("drop owned by {}; drop role {}", role, role));
  CHECK(seen == "5");
}

TEST_CASE("rls_disabled: a database that uses no row level security is not flagged", "[checks][rls_disabled]")
{
  ScratchDb db;
  db.plant(k_public_schema, "create table $s.tasks(id bigint primary key, organization_id bigint not null);");
  CHECK(findings_of(db.audit({"rls_disabled"}), "rls_disabled").empty());
}

TEST_CASE("rls_disabled: row level security that reads no tenant column isolates no tenant, and is never copied",
          "[checks][rls_disabled]")
{
  // Windmill: per-user permissions and an admin role's USING (true), no policy on workspace_id;
  // the copy of admin_policy onto member hid every row from the application's role
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table $s.ws(id text primary key);
    create table $s.doc(id int primary key, workspace_id text not null references $s.ws, extra_perms jsonb not null default '{}');
    create policy admin_policy on $s.doc to public using (true);
    create policy see_own on $s.doc to public using (extra_perms ? current_setting('session.user', true));
    alter table $s.doc enable row level security;
    create table $s.member(workspace_id text not null references $s.ws, username text not null,
                           primary key (workspace_id, username));
    insert into $s.ws values ('a'), ('b');
    insert into $s.member values ('a', 'u1'), ('b', 'u2');
  )");
  CHECK(findings_of(db.audit({"rls_disabled"}), "rls_disabled").empty());
}

TEST_CASE("rls_disabled: every policy of the model is copied, an empty table is low, and shared rows or a column the table "
          "lacks leave the steps as advice",
          "[checks][rls_disabled][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // an operator's role, made once in the throwaway cluster and kept: the copies' policies name it
  const std::string admin = "sa_rls_operator";
  db.exec("do $$ begin create role sa_rls_operator; exception when others then null; end $$");
  db.plant(schema, fmt::format(R"(
    create table $s.projects(id bigint primary key, organization_id bigint not null, archived bool not null default false);
    insert into $s.projects select g, 1 + g % 2, false from generate_series(1, 10) g;
    alter table $s.projects enable row level security;
    create policy tenant_isolation on $s.projects using (organization_id = current_setting('app.organization_id')::bigint);
    -- an operator's role reads every tenant's rows: copied too, or it would see none
    create policy admin_all on $s.projects to {} using (true);
    create table $s.tasks(id bigint primary key, organization_id bigint not null, title text);
    insert into $s.tasks select g, 1 + g % 2, 't' || g from generate_series(1, 10) g;
    create table $s.drafts(id bigint primary key, organization_id bigint not null);
    -- rows shared by every tenant (NULL tenant): the copied policy would hide them from all
    create table $s.templates(id bigint primary key, organization_id bigint, body text);
    insert into $s.templates select g, case when g % 3 = 0 then null else 1 + g % 2 end, 'b' from generate_series(1, 30) g;
    analyze $s.drafts, $s.templates;
  )", admin));
  const auto s = ident(schema);
  auto result = db.audit({"rls_disabled"});
  CHECK(findings_of(result, "rls_disabled").size() == 3);
  const auto& tasks = finding(result, "rls_disabled", s + ".tasks");
  CHECK(tasks.severity == model::Severity::high);
  CHECK(tasks.evidence.at("policies") == "admin_all, tenant_isolation");
  CHECK(finding(result, "rls_disabled", s + ".drafts").severity == model::Severity::low);
  const auto& templates = finding(result, "rls_disabled", s + ".templates");
  CHECK(templates.evidence.at("tenant_nulls") == true);
  CHECK(model::remediation_kind(templates.remediation) == model::RemediationKind::advice);

  // The fix: the tenant sees its own rows, the operator's role every row.
  const auto fixed = check_every_fix_runs(db, {tasks}, {"rls_disabled"});
  fixed.copy->exec(fmt::format("grant usage on schema {} to {}, public; grant select on all tables in schema {} to {}, public",
                               s, admin, s, admin));
  const auto count = fmt::format("select count(*) from {}.tasks", s);
  CHECK(fixed.copy->scalar(fmt::format("set role {}; {}", admin, count)) == "10");
  const auto user = fmt::format("sa_user_{}", std::random_device{}());
  fixed.copy->exec(fmt::format("create role {}", user));
  const auto tenant = fixed.copy->scalar(fmt::format("set role {}; set app.organization_id = '1'; {}", user, count));
  fixed.copy->exec(fmt::format("drop role {}", user));
  CHECK(tenant == "5");
  const auto undone = run_psql_script(*fixed.copy, tasks.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(fixed.copy->scalar(fmt::format("select count(*) from pg_policy where polrelid = '{}.tasks'::regclass", s)) == "0");

  // A policy of the model that reads a column the table lacks: advice, nothing copied half.
  db.exec(with_schema(schema, "create policy live_only on $s.projects as restrictive for select using (not archived)"));
  result = db.audit({"rls_disabled"});
  const auto& lacking = finding(result, "rls_disabled", s + ".tasks");
  CHECK(lacking.evidence.at("unportable_columns") == "archived");
  CHECK(model::remediation_kind(lacking.remediation) == model::RemediationKind::advice);
}

TEST_CASE("rls_disabled: a table no role the policies govern may read is info, and a copied policy is named after its table",
          "[checks][rls_disabled]")
{
  // Logto's service_logs: created without row level security on purpose, every privilege revoked
  // from the tenant role; and the copies on it were named account_centers_*
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // cluster-wide, made once and kept (a policy of a copied database may name it)
  db.exec("do $$ begin create role sa_rls_tenant_app; exception when duplicate_object then null; end $$");
  db.plant(schema, std::string(k_plant) + R"(
    create table $s.service_logs(id bigint primary key, organization_id bigint not null, payload text);
    insert into $s.service_logs select g, 1 + g % 2, 'x' from generate_series(1, 10) g;
    grant select, insert, update, delete on $s.projects, $s.tasks to sa_rls_tenant_app;
    revoke all on $s.service_logs from sa_rls_tenant_app;
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"rls_disabled"});
  const auto& logs = finding(result, "rls_disabled", s + ".service_logs");
  INFO(logs.message);
  CHECK(logs.severity == model::Severity::info);
  CHECK(logs.evidence.at("out_of_reach") == true);
  CHECK(logs.message.find("none of the roles") != std::string::npos);
  CHECK(model::remediation_kind(logs.remediation) == model::RemediationKind::advice);
  const auto& tasks = finding(result, "rls_disabled", s + ".tasks");
  CHECK(tasks.severity == model::Severity::high);
  CHECK(tasks.evidence.at("out_of_reach") == false);
  CHECK(tasks.remediation.find("create policy tasks_tenant on " + s + ".tasks") != std::string::npos);
  CHECK(tasks.remediation.find("projects_tenant") == std::string::npos);
  check_every_fix_runs(db, {tasks}, {"rls_disabled"});
}
