#include "audit/needs.hpp"

#include <catch2/catch.hpp>

TEST_CASE("unmet_need: alternatives joined by |, query_log met by query logs", "[unit][audit]")
{
  model::CheckDef def;
  def.needs = {"pg_stat_statements|query_log"};
  model::Capabilities caps;
  caps.server_version = "15.0";
  caps.server_version_num = 150000;
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
