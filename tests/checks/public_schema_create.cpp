#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <random>

using namespace test;

namespace {

// Roles are the cluster's, not a database's: made with a name of their own and dropped when the
// test's databases are gone (declare before them).
struct TestRoles
{
  ScratchDb home;
  std::string owner = fmt::format("sa_owner_{}", std::random_device{}());
  std::string stranger = fmt::format("sa_stranger_{}", std::random_device{}());

  TestRoles() { home.exec(fmt::format("create role {}; create role {}", owner, stranger)); }
  ~TestRoles()
  {
    try {
      home.exec(fmt::format("drop role if exists {}; drop role if exists {}", owner, stranger));
    } catch (...) {
    }
  }
};

} // namespace

TEST_CASE("public_schema_create: flags schemas where PUBLIC may create, high on the default search_path, and the fix "
          "keeps the owners' right to create",
          "[checks][public_schema_create][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  const TestRoles roles;
  ScratchDb db;
  // before 15, PUBLIC may create in schema public by default: only the planted schema has it here
  db.exec("revoke create on schema public from public");
  db.plant(schema, fmt::format(R"(
    grant create on schema $s to public;
    grant usage on schema $s to public;
    create table $s.jobs(id bigint primary key);
    alter table $s.jobs owner to {};
    create schema closed;
  )", roles.owner));
  const auto result = db.audit({"public_schema_create"});
  REQUIRE(findings_of(result, "public_schema_create").size() == 1);
  const auto f = findings_of(result, "public_schema_create").front();
  CHECK(f.object == schema);
  CHECK(f.object_type == "schema");
  // public is on the default search_path ("$user", public); the other schema is not
  CHECK(f.severity == (schema == k_public_schema ? model::Severity::high : model::Severity::medium));
  CHECK(f.evidence["creators_granted"] == nlohmann::json{roles.owner});
  CHECK_FALSE(has_finding(result, "public_schema_create", "closed"));

  const auto s = ident(schema);
  const auto create_as = [&](const std::string& role, const std::string& table) {
    return fmt::format("set role {}; create table {}.{}(id int); select 'created'", role, s, table);
  };
  // before: anyone may create there
  CHECK(db.scalar(create_as(roles.stranger, "planted")) == "created");
  const auto fixed = run_fix_on_copy(db, f);
  INFO(f.remediation << "\n" << fixed.run.output);
  CHECK(fixed.run.errors().empty());
  CHECK_FALSE(has_finding(fixed.copy->audit({"public_schema_create"}), "public_schema_create", schema));
  // after: the stranger may not, the owner of the schema's table still may
  CHECK_THROWS(fixed.copy->scalar(create_as(roles.stranger, "planted_again")));
  CHECK(fixed.copy->scalar(create_as(roles.owner, "jobs_archive")) == "created");
  // the undo opens it again
  CHECK(run_psql_script(*fixed.copy, f.undo).errors().empty());
  CHECK(has_finding(fixed.copy->audit({"public_schema_create"}), "public_schema_create", schema));
}
