#include "audit/config.hpp"
#include "util/text.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;

TEST_CASE("parse_config: a complete config", "[unit][config]")
{
  const auto config = audit::parse_config(R"(
[audit]
include_schemas = ["app*", "public"]
exclude_schemas = ["app_archive"]
exclude_tables = ["public.tmp_*"]
tenant_keys = ["tenant_id", "shop_id"]
statement_timeout_ms = 5000
jobs = 4

[deprecation]
patterns = ["old_*"]
grace_days = 45

[checks.unused_index]
severity = "low"
min_size_bytes = 1048576

[checks.type_money]
enabled = false

[[suppress]]
check = "unused_index"
object = "public.orders_legacy_*"
reason = "kept for the yearly export"
expires = 2027-03-31

[[targets]]
name = "billing"
db = "service=billing"
)", "t.toml");
  CHECK(config.includes("app_main"));
  CHECK(config.includes("public", "orders"));
  CHECK_FALSE(config.includes("public", "tmp_x"));
  CHECK_FALSE(config.includes("app_archive"));
  CHECK_FALSE(config.includes("other"));
  // The schemas of well-known extensions are skipped by default, and audited when emptied.
  CHECK_FALSE(audit::default_config().includes("partman", "template_public_events"));
  CHECK_FALSE(audit::default_config().includes("_timescaledb_internal"));
  CHECK(audit::default_config().includes("public", "events"));
  CHECK(audit::parse_config("[audit]\nextension_schemas = []\n", "e.toml").includes("partman"));
  // each snake_case name with its camelCase forms (Prisma's tenantId, Hoppscotch's teamID)
  CHECK(config.globals.at("tenant_keys") ==
        "{\"tenant_id\",\"tenantId\",\"tenantID\",\"shop_id\",\"shopId\",\"shopID\"}");
  CHECK(config.globals.at("deprecation_patterns") == "{\"old_*\"}");
  CHECK(config.deprecation_grace_days == 45);
  CHECK(config.limits.statement_timeout_ms == 5000);
  CHECK(config.limits.jobs == 4);
  CHECK(config.checks.at("unused_index").severity == model::Severity::low);
  CHECK(config.checks.at("unused_index").params.at("min_size_bytes") == "1048576");
  CHECK_FALSE(config.checks.at("type_money").enabled);
  REQUIRE(config.suppressions.size() == 1);
  CHECK(config.suppressions[0].expires.has_value());
  REQUIRE(config.targets.size() == 1);
  CHECK(config.targets[0].db == "service=billing");
}

TEST_CASE("parse_config: errors carry the line", "[unit][config]")
{
  auto message_of = [](const std::string& text) {
    try {
      audit::parse_config(text, "c.toml");
    } catch (const util::Fatal& e) {
      CHECK(e.code() == util::ExitCode::config);
      return std::string(e.what());
    }
    FAIL("no error for: " << text);
    return std::string();
  };
  CHECK_THAT(message_of("[audit]\njobz = 3\n"), Contains("c.toml:2: unknown key \"jobz\" in [audit]"));
  CHECK_THAT(message_of("[audit]\njobs = \"three\"\n"), Contains("c.toml:2: jobs must be a whole number"));
  CHECK_THAT(message_of("[audit]\njobs = 0\n"), Contains("jobs must be between 1 and 64"));
  CHECK_THAT(message_of("[audit\n"), Contains("c.toml:1:"));
  CHECK_THAT(message_of("[[suppress]]\ncheck = \"x\"\nobject = \"a\"\n"), Contains("needs a reason"));
  CHECK_THAT(message_of("[checks.unused_index]\nmin_size_bytes = -5\n"), Contains("must not be negative"));
  CHECK_THAT(message_of("[[suppress]]\nobject = \"a\"\nreason = \"r\"\nexpires = \"soon\"\n"), Contains("expires must be a date"));
}

TEST_CASE("util::pg_array_literal quotes for PostgreSQL", "[unit][config]")
{
  CHECK(util::pg_array_literal({}) == "{}");
  CHECK(util::pg_array_literal({"a", "b\"c", "d\\e"}) == R"({"a","b\"c","d\\e"})");
}

TEST_CASE("parse_config: a target's replicas", "[unit][config]")
{
  const auto config = audit::parse_config(R"(
[[targets]]
name = "billing"
db = "service=billing"
replicas = ["service=billing_replica1", "host=replica2 dbname=billing"]
[[targets]]
name = "crm"
db = "service=crm"
)", "t.toml");
  REQUIRE(config.targets.size() == 2);
  CHECK(config.targets[0].replicas == std::vector<std::string>{"service=billing_replica1", "host=replica2 dbname=billing"});
  CHECK(config.targets[1].replicas.empty());
  try {
    audit::parse_config("[[targets]]\nname = \"a\"\ndb = \"x\"\nreplicas = \"host=r\"\n", "r.toml");
    FAIL("replicas as a string was taken");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::config);
    CHECK_THAT(e.what(), Contains("r.toml:4: replicas must be an array of strings"));
  }
}

TEST_CASE("parse_config: a target's query logs and log_line_prefix", "[unit][config]")
{
  const auto config = audit::parse_config(R"(
[[targets]]
name = "billing"
db = "service=billing"
query_logs = ["/var/log/postgresql/billing-*.csv.gz", "/tmp/one.log"]
log_line_prefix = "%m [%p] %q%u@%d "
[[targets]]
name = "crm"
db = "service=crm"
)", "t.toml");
  REQUIRE(config.targets.size() == 2);
  CHECK(config.targets[0].query_logs == std::vector<std::string>{"/var/log/postgresql/billing-*.csv.gz", "/tmp/one.log"});
  CHECK(config.targets[0].log_line_prefix.value() == "%m [%p] %q%u@%d ");
  CHECK(config.targets[1].query_logs.empty());
  CHECK_FALSE(config.targets[1].log_line_prefix);
  try {
    audit::parse_config("[[targets]]\nname = \"a\"\ndb = \"x\"\nquery_logs = \"/tmp/x.log\"\n", "q.toml");
    FAIL("query_logs as a string was taken");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::config);
    CHECK_THAT(e.what(), Contains("q.toml:4: query_logs must be an array of strings"));
  }
}

TEST_CASE("config: the bookkeeping tables of migration tools are left out of every check", "[config]")
{
  const auto config = audit::default_config();
  CHECK_FALSE(config.includes("public", "schema_migrations"));
  CHECK_FALSE(config.includes("app", "__diesel_schema_migrations"));
  CHECK_FALSE(config.includes("public", "flyway_schema_history"));
  CHECK_FALSE(config.includes("public", "__EFMigrationsHistory"));
  CHECK(config.includes("public", "migrations_log")); // an application's own
  CHECK(config.includes("public"));
}
