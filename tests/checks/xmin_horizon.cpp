#include "support/own_cluster.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include <chrono>
#include <thread>

using namespace test;

namespace {

model::AuditResult
audit_horizon(const std::string& conninfo)
{
  auto config = audit::default_config();
  // one second instead of five minutes, so the test need not wait
  config.checks["xmin_horizon"].params["min_age_seconds"] = "1";
  return audit_conninfo(conninfo, {"xmin_horizon"}, config);
}

} // namespace

TEST_CASE("xmin_horizon: a session idle in transaction, a forgotten prepared transaction and an inactive slot are "
          "named, and their fixes release the horizon",
          "[checks][xmin_horizon][roundtrip]")
{
  // what holds the horizon back holds it for the whole cluster: it would stall the vacuum of
  // every test sharing one
  const OwnCluster cluster;
  const auto conninfo = cluster.conninfo();
  REQUIRE(run_psql_script(conninfo, "create table ledger(id bigint primary key, amount int);\n"
                                    "insert into ledger select g, g from generate_series(1, 100) g;\n"
                                    "begin;\nupdate ledger set amount = 0 where id = 1;\nprepare transaction 'sa forgotten';\n"
                                    "select pg_create_physical_replication_slot('sa_idle_slot', true);\n")
            .errors()
            .empty());
  // a session that opened a transaction and went idle in it
  pqxx::connection idle(conninfo);
  pqxx::work open_tx(idle);
  open_tx.exec("select txid_current()");
  // a busy session with no transaction open: a control
  pqxx::connection busy(conninfo);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));

  const auto result = audit_horizon(conninfo);
  const auto findings = findings_of(result, "xmin_horizon");
  INFO(skip_reason(result, "xmin_horizon").value_or(""));
  REQUIRE(findings.size() == 3);
  const auto& slot = finding(result, "xmin_horizon", "sa_idle_slot");
  CHECK(slot.object_type == "replication_slot");
  CHECK(slot.severity == model::Severity::low);
  const auto& prepared = finding(result, "xmin_horizon", "sa forgotten");
  CHECK(prepared.object_type == "prepared_transaction");
  CHECK(prepared.remediation.find("rollback prepared 'sa forgotten';") != std::string::npos);
  const auto session = std::find_if(findings.begin(), findings.end(), [](const auto& f) { return f.object_type == "session"; });
  REQUIRE(session != findings.end());
  CHECK(session->evidence["pid"] == idle.backendpid());
  CHECK(session->evidence["state"] == "idle in transaction");

  for (const auto& f : findings) {
    const auto run = run_psql_script(conninfo, f.remediation);
    INFO(f.remediation << "\n" << run.output);
    CHECK(run.errors().empty());
  }
  // the idle session was ended; the row the prepared transaction locked is free and unchanged
  CHECK_THROWS(open_tx.exec("select 1"));
  CHECK(run_psql_script(conninfo, "update ledger set amount = amount + 1 where id = 1;").errors().empty());
  CHECK(findings_of(audit_horizon(conninfo), "xmin_horizon").empty());
}
