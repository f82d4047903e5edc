#include "support/own_cluster.hpp"
#include "support/previous_snapshot.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include "util/time.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

using namespace test;

TEST_CASE("xid_wraparound: a table past its own freeze age after 110,000 transactions is found, the control with the "
          "server's freeze age is not, the history's previous next_xid projects the stop date, and VACUUM (FREEZE) "
          "clears it",
          "[checks][xid_wraparound][roundtrip]")
{
  // Transaction ids are the cluster's: burning them, with autovacuum off so that no
  // anti-wraparound vacuum freezes the table before the audit, needs a cluster of its own.
  const OwnCluster cluster;
  const auto conninfo = cluster.conninfo();
  REQUIRE(run_psql_script(conninfo, "alter system set autovacuum = off;\nselect pg_reload_conf();\n"
                                    "create table ledger(id bigint primary key, amount int) with (autovacuum_freeze_max_age = 100000);\n"
                                    "insert into ledger select g, g from generate_series(1, 1000) g;\n"
                                    "create table journal(id bigint primary key);\ninsert into journal values (1);\n")
            .errors()
            .empty());
  // The previous audit: the server's next transaction ID before the burn.
  const auto before = audit_conninfo(conninfo, {"xid_wraparound", "metrics_database"});
  CHECK(findings_of(before, "xid_wraparound").empty());
  REQUIRE(metric_value(before, "database", "postgres", "next_xid"));

  // 4 clients x 28,000 transactions that each take a transaction id
  const std::string script = "/tmp/sa-xid-burn.sql";
  std::ofstream(script) << "select txid_current();\n";
  const auto burn = fmt::format("{} {}/pgbench -n -f {} -c 4 -j 2 -t 28000 postgres >/dev/null 2>&1", cluster.env(),
                                cluster.client_bindir(), script);
  REQUIRE(std::system(burn.c_str()) == 0);

  const auto result = audit_conninfo(conninfo, {"xid_wraparound"});
  INFO(skip_reason(result, "xid_wraparound").value_or(""));
  REQUIRE(findings_of(result, "xid_wraparound").size() == 1);
  const auto& f = finding(result, "xid_wraparound", "public.ledger");
  CHECK(f.severity == model::Severity::medium);
  CHECK(f.evidence["freeze_max_age"] == 100000);
  CHECK(f.evidence["xid_age"].get<long>() > 100000);
  CHECK(f.remediation.find("vacuum (freeze, verbose) public.ledger;") != std::string::npos);
  CHECK_FALSE(has_finding(result, "xid_wraparound", "public.journal"));
  // No history: no rate, no projection.
  CHECK_FALSE(f.evidence.contains("xids_per_day"));

  // The same 112,000 transactions seen over 10 days, 5 minutes and 1 minute since the previous
  // audit: the stop limit (about 2.14 billion) is centuries away, about 66 days (before the next
  // quarterly audit: high) and about 13 days away (critical).
  const auto projected = [&](std::int64_t seconds_ago) {
    auto previous = previous_from(before);
    previous.taken_at = util::now_epoch() - seconds_ago;
    const auto again = audit_conninfo(conninfo, {"xid_wraparound"}, audit::default_config(), previous);
    return finding(again, "xid_wraparound", "public.ledger");
  };
  const auto slow = projected(10 * k_day_seconds);
  INFO(slow.message);
  CHECK(slow.evidence["xids_per_day"].get<long>() >= 11100);
  CHECK(slow.evidence["xids_per_day"].get<long>() < 11400);
  CHECK(slow.evidence["days_to_stop_limit"].get<long>() > 180000);
  CHECK(slow.severity == model::Severity::medium);
  CHECK(slow.message.find("transaction IDs a day since the audit of") != std::string::npos);
  const auto fast = projected(300);
  INFO(fast.message);
  CHECK(fast.evidence["days_to_stop_limit"].get<long>() >= 60);
  CHECK(fast.evidence["days_to_stop_limit"].get<long>() < 120);
  CHECK(fast.severity == model::Severity::high);
  CHECK(projected(60).severity == model::Severity::critical);

  const auto run = run_psql_script(conninfo, f.remediation);
  INFO(run.output);
  CHECK(run.errors().empty());
  CHECK(findings_of(audit_conninfo(conninfo, {"xid_wraparound"}), "xid_wraparound").empty());
}
