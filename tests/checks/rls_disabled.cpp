#include "checks/fix_round_trip.hpp"
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
