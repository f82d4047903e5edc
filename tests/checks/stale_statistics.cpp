#include "support/own_cluster.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("stale_statistics: a table loaded and never analyzed while autovacuum is off is found, not while it is on, "
          "an analyzed one never, and ANALYZE clears it",
          "[checks][stale_statistics][roundtrip]")
{
  // With autovacuum off, nothing analyzes the loaded table before the audit: on a shared cluster
  // autovacuum could, at any moment.
  const OwnCluster cluster;
  const auto conninfo = cluster.conninfo();
  REQUIRE(run_psql_script(conninfo, "alter system set autovacuum = off;\nselect pg_reload_conf();\n"
                                    "create table events(id bigint primary key, kind text);\n"
                                    "insert into events select g, 'k' || g % 9 from generate_series(1, 50000) g;\n"
                                    "create table accounts(id bigint primary key);\n"
                                    "insert into accounts select g from generate_series(1, 20000) g;\n"
                                    + std::string(k_flush_stats_sql) + "\nanalyze accounts;\n"
                                    "create table tags(id bigint primary key);\n"
                                    "insert into tags select g from generate_series(1, 300) g;\n"
                                    + k_flush_stats_sql)
            .errors()
            .empty());
  const auto result = audit_conninfo(conninfo, {"stale_statistics"});
  INFO(skip_reason(result, "stale_statistics").value_or(""));
  REQUIRE(findings_of(result, "stale_statistics").size() == 1);
  const auto& f = finding(result, "stale_statistics", "public.events");
  CHECK(f.severity == model::Severity::medium);
  CHECK(f.evidence["changed_since_analyze"] == 50000);
  CHECK(f.evidence["analyzed_at"].is_null());
  CHECK_FALSE(has_finding(result, "stale_statistics", "public.accounts")); // analyzed after its load
  CHECK_FALSE(has_finding(result, "stale_statistics", "public.tags"));     // below min_changes

  // With autovacuum on, a table just loaded is autovacuum's to analyze within a minute: no finding.
  REQUIRE(run_psql_script(conninfo, "alter system set autovacuum = on;\nselect pg_reload_conf();\nselect pg_sleep(0.3);\n")
            .errors()
            .empty());
  CHECK_FALSE(has_finding(audit_conninfo(conninfo, {"stale_statistics"}), "stale_statistics", "public.events"));

  const auto run = run_psql_script(conninfo, f.remediation + "\n" + k_flush_stats_sql);
  INFO(run.output);
  CHECK(run.errors().empty());
  CHECK(findings_of(audit_conninfo(conninfo, {"stale_statistics"}), "stale_statistics").empty());
}
