// The round-trip pieces (tests/support/remediation_run.hpp) on hand-made changes: they must see a
// weakened constraint, accept a strengthened one, and report psql's errors.
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

const char* const k_schema = R"(
  create table tenants(id bigint primary key);
  create table roles(id bigint primary key, tenant_id bigint references tenants(id), unique (tenant_id, id));
  create table members(id bigint primary key, tenant_id bigint not null, role_id bigint,
                       constraint members_role_id_fkey foreign key (role_id) references roles(id) on delete cascade);
  create unique index members_lower_idx on members(tenant_id) where role_id is null;
)";

} // namespace

TEST_CASE("round trip: a replacement foreign key without the original's action is weaker", "[roundtrip]")
{
  ScratchDb db;
  db.exec(k_schema);
  const auto before = key_constraints(db);
  CHECK(weakened_constraints(before, before).empty());

  ScratchDb lost_action(db.name());
  const auto run = run_psql_script(lost_action, R"(
    alter table members drop constraint members_role_id_fkey;
    alter table members add foreign key (role_id) references roles(id);
  )");
  CHECK(run.errors().empty());
  const auto weakened = weakened_constraints(before, key_constraints(lost_action));
  REQUIRE(weakened.size() == 1);
  CHECK(weakened[0].find("members_role_id_fkey") != std::string::npos);
}

TEST_CASE("round trip: a composite foreign key with the same action keeps the original", "[roundtrip]")
{
  ScratchDb db;
  db.exec(k_schema);
  const auto before = key_constraints(db);

  ScratchDb composite(db.name());
  const auto run = run_psql_script(composite, R"(
    alter table members add constraint members_tenant_role_fkey foreign key (tenant_id, role_id)
      references roles(tenant_id, id) on delete cascade not valid;
    alter table members validate constraint members_tenant_role_fkey;
    alter table members drop constraint members_role_id_fkey;
    select no_such_column from members;
  )");
  CHECK(weakened_constraints(before, key_constraints(composite)).empty());
  CHECK(invalid_indexes(composite).empty());
  REQUIRE(run.errors().size() == 1);
  CHECK(run.errors()[0].find("no_such_column") != std::string::npos);
}

TEST_CASE("round trip: a NOT VALID replacement, a dropped unique index and an invalid index are seen", "[roundtrip]")
{
  ScratchDb db;
  db.exec(k_schema);
  const auto before = key_constraints(db);

  ScratchDb copy(db.name());
  run_psql_script(copy, R"(
    alter table members drop constraint members_role_id_fkey;
    alter table members add constraint members_role_id_fkey foreign key (role_id) references roles(id)
      on delete cascade not valid;
    drop index members_lower_idx;
    insert into members values (1, 1, null), (2, 1, null);
    create unique index concurrently members_tenant_idx on members(tenant_id);
  )");
  CHECK(weakened_constraints(before, key_constraints(copy)).size() == 2);
  CHECK(invalid_indexes(copy) == std::vector<std::string>{"members_tenant_idx"});
}
