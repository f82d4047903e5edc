#include "support/test_db.hpp"
#include "util/text.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

// Kong's workspaces: ws_id on every table, carried by composite keys (x_id, ws_id) -> (id, ws_id),
// one key (upstreams -> certificates) that leaves it out.
const char* const k_workspaces = R"(
  create table $s.workspaces(id uuid primary key, name text unique);
  create table $s.services(id uuid primary key, ws_id uuid references $s.workspaces(id), name text, host text,
                           client_certificate_id uuid, unique (id, ws_id), unique (ws_id, name));
  create table $s.certificates(id uuid primary key, ws_id uuid references $s.workspaces(id), unique (id, ws_id));
  create table $s.routes(id uuid primary key, ws_id uuid references $s.workspaces(id), service_id uuid,
                         unique (id, ws_id), foreign key (service_id, ws_id) references $s.services(id, ws_id));
  create table $s.plugins(id uuid primary key, ws_id uuid references $s.workspaces(id), route_id uuid, service_id uuid,
                          foreign key (route_id, ws_id) references $s.routes(id, ws_id),
                          foreign key (service_id, ws_id) references $s.services(id, ws_id));
  alter table $s.services add constraint services_certificate_fkey
    foreign key (client_certificate_id, ws_id) references $s.certificates(id, ws_id);
  create table $s.upstreams(id uuid primary key, ws_id uuid references $s.workspaces(id),
                            client_certificate_id uuid constraint upstreams_certificate_fkey references $s.certificates(id));
)";

} // namespace

TEST_CASE("unlisted_tenant_key: a column composite keys carry to their parent beside their own columns is named, "
          "low while a key between its tables leaves it out",
          "[checks][unlisted_tenant_key]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_workspaces);
  db.plant(schema, R"(
    -- a listed tenant key scoping keys the same way: the config knows it already
    create table $s.accounts(id bigint primary key);
    create table $s.projects(id bigint, tenant_id bigint references $s.accounts(id), primary key (id, tenant_id));
    create table $s.boards(id bigint, tenant_id bigint, project_id bigint, primary key (id, tenant_id),
                           foreign key (project_id, tenant_id) references $s.projects(id, tenant_id));
    create table $s.cards(id bigint, tenant_id bigint, board_id bigint, project_id bigint,
                          foreign key (board_id, tenant_id) references $s.boards(id, tenant_id),
                          foreign key (project_id, tenant_id) references $s.projects(id, tenant_id));
    -- composite natural keys: every column keeps its name, no tenant shows
    create table $s.invoices(invoice_id bigint, line_no int, primary key (invoice_id, line_no));
    create table $s.invoice_taxes(invoice_id bigint, line_no int, foreign key (invoice_id, line_no) references $s.invoices);
    create table $s.invoice_notes(invoice_id bigint, line_no int, foreign key (invoice_id, line_no) references $s.invoices);
    create table $s.invoice_refunds(invoice_id bigint, line_no int, foreign key (invoice_id, line_no) references $s.invoices);
    -- a partitioned parent's key carries its partition column: a time, no tenant
    create table $s.events(id bigint, created_at timestamptz, primary key (id, created_at));
    create table $s.sessions(id bigint, created_at timestamptz, primary key (id, created_at));
    create table $s.event_tags(event_id bigint, created_at timestamptz, foreign key (event_id, created_at) references $s.events);
    create table $s.event_links(event_id bigint, created_at timestamptz, foreign key (event_id, created_at) references $s.events);
    create table $s.session_events(session_id bigint, created_at timestamptz,
                                   foreign key (session_id, created_at) references $s.sessions);
    -- two keys only (min_keys is 3)
    create table $s.regions(id int, zone int, primary key (id, zone));
    create table $s.racks(id int, zone int, region_id int, primary key (id, zone), foreign key (region_id, zone) references $s.regions);
    create table $s.hosts(id int, zone int, rack_id int, foreign key (rack_id, zone) references $s.racks);
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"unlisted_tenant_key"});
  REQUIRE(findings_of(result, "unlisted_tenant_key").size() == 1);
  const auto& ws = finding(result, "unlisted_tenant_key", "ws_id");
  CHECK(ws.severity == model::Severity::low);
  CHECK(ws.object_type.str() == "column name");
  CHECK(ws.evidence.at("scoped_keys") == 4);
  CHECK(ws.evidence.at("tables") == 5);
  CHECK(ws.evidence.at("unscoped_keys") == 1);
  CHECK(ws.evidence.at("unscoped_key_examples") == nlohmann::json{s + ".upstreams.upstreams_certificate_fkey"});
  CHECK(ws.message.find("add \"ws_id\" to tenant_keys") != std::string::npos);
  CHECK(ws.remediation.empty());

  // What it says is so: with ws_id listed the finding goes, and cross_tenant_fk judges the key
  // that leaves it out.
  auto config = audit::default_config();
  config.globals["tenant_keys"] = util::pg_array_literal({"tenant_id", "ws_id"});
  const auto listed = db.audit({"unlisted_tenant_key", "cross_tenant_fk"}, config);
  CHECK(findings_of(listed, "unlisted_tenant_key").empty());
  CHECK(has_finding(listed, "cross_tenant_fk", s + ".upstreams.upstreams_certificate_fkey"));
  CHECK_FALSE(has_finding(result, "cross_tenant_fk", s + ".upstreams.upstreams_certificate_fkey"));

  // Every key between its tables carrying it: info.
  db.exec(with_schema(schema, "alter table $s.upstreams drop constraint upstreams_certificate_fkey"));
  const auto scoped = db.audit({"unlisted_tenant_key"});
  CHECK(finding(scoped, "unlisted_tenant_key", "ws_id").severity == model::Severity::info);
  CHECK(finding(scoped, "unlisted_tenant_key", "ws_id").evidence.at("unscoped_keys") == 0);
}
