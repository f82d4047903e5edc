#include "audit/needs.hpp"

#include <catch2/catch.hpp>

namespace {

// A PostgreSQL 15 server with no extension.
model::Capabilities
server_15()
{
  model::Capabilities caps;
  caps.server_version = "15.0";
  caps.server_version_num = 150000;
  return caps;
}

} // namespace

TEST_CASE("unmet_need: alternatives joined by |, query_log met by query logs", "[unit][audit]")
{
  model::CheckDef def;
  def.needs = {"pg_stat_statements|query_log"};
  auto caps = server_15();
  audit::AuditOptions options;
  const auto none = audit::unmet_need(def, caps, options, false);
  REQUIRE(none);
  CHECK(*none == "needs the pg_stat_statements extension (CREATE EXTENSION pg_stat_statements in this database), "
                 "or needs query logs (--query-log, or query_logs in the target's [[targets]] entry)");
  options.query_log = std::make_shared<querylog::QueryLog>();
  CHECK_FALSE(audit::unmet_need(def, caps, options, false));
  options.query_log.reset();
  caps.extensions.insert("pg_stat_statements");
  CHECK_FALSE(audit::unmet_need(def, caps, options, false));
}

TEST_CASE("unmet_need: every need not met is named at once", "[unit][audit]")
{
  // Umami: table_bloat_exact said it needed pgstattuple, and once that was installed, the opt-in
  model::CheckDef def;
  def.needs = {"pgstattuple", "opt_in:exact_bloat"};
  auto caps = server_15();
  audit::AuditOptions options;
  const auto both = audit::unmet_need(def, caps, options, false);
  REQUIRE(both);
  CHECK(*both == "needs the pgstattuple extension (CREATE EXTENSION pgstattuple in this database); and opt-in mode; "
                 "run with --opt-in exact_bloat to enable it");
  options.opt_ins.insert("exact_bloat");
  const auto one = audit::unmet_need(def, caps, options, false);
  REQUIRE(one);
  CHECK(*one == "needs the pgstattuple extension (CREATE EXTENSION pgstattuple in this database)");
  caps.extensions.insert("pgstattuple");
  CHECK_FALSE(audit::unmet_need(def, caps, options, false));
}
