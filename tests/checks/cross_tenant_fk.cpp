#include "support/test_db.hpp"

#include <catch2/catch.hpp>

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
          "[checks][cross_tenant_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_tenant_schema);

  const auto result = db.audit({"cross_tenant_fk"});
  const auto s = ident(schema);

  const auto& f = finding(result, "cross_tenant_fk", schema + ".tasks_project_id_fkey");
  CHECK(f.evidence["tenant_column"] == "tenant_id");
  CHECK(f.remediation.find("create unique index concurrently if not exists projects_tenant_id_id_key on " + s +
                           ".projects (tenant_id, id);") != std::string::npos);
  CHECK(f.remediation.find("foreign key (tenant_id, project_id) references " + s + ".projects (tenant_id, id) not valid;") !=
        std::string::npos);
  CHECK(f.remediation.find("validate constraint tasks_tenant_id_project_id_fkey;") != std::string::npos);

  CHECK_FALSE(has_finding(result, "cross_tenant_fk", schema + ".projects_tenant_id_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", schema + ".comments_tenant_id_project_id_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", schema + ".offices_country_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", schema + ".deals_tenant_id_contact_id_fkey"));
  CHECK(findings_of(result, "cross_tenant_fk").size() == 1);
}

TEST_CASE("cross_tenant_fk: the tenant keys come from the config", "[checks][cross_tenant_fk]")
{
  ScratchDb db;
  db.plant(k_public_schema, k_tenant_schema);
  auto config = audit::default_config();
  config.globals["tenant_keys"] = audit::to_pg_array({"workspace_id"});
  CHECK(findings_of(db.audit({"cross_tenant_fk"}, config), "cross_tenant_fk").empty());
}
