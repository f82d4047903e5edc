#include "support/own_cluster.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
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

// The consumer is tests/tools/wal_follower.cpp, a standby's streaming part (pg_receivewal
// streams only from servers of its own major and older: Debian's is 15).
TEST_CASE("xmin_horizon: a slot in use whose consumer stopped confirming is named while it lags, with no drop, and "
          "not once it caught up",
          "[checks][xmin_horizon]")
{
  const OwnCluster cluster;
  const auto conninfo = cluster.conninfo();
  REQUIRE(run_psql_script(conninfo, "select pg_create_physical_replication_slot('sa_standby_slot', true);\n").errors().empty());
  const auto start = fmt::format("{} '{}' sa_standby_slot >/dev/null 2>&1 & echo $!", SA_WAL_FOLLOWER, conninfo);
  std::unique_ptr<FILE, int (*)(FILE*)> launched(popen(start.c_str(), "r"), pclose);
  REQUIRE(launched);
  char pid_text[32] = {};
  REQUIRE(std::fgets(pid_text, sizeof pid_text, launched.get()) != nullptr);
  const int receiver = std::atoi(pid_text);
  const auto slot_active = [&] {
    pqxx::connection c(conninfo);
    pqxx::nontransaction tx(c);
    return std::string(tx.exec("select active from pg_replication_slots where slot_name = 'sa_standby_slot'")[0][0].c_str()) == "t";
  };
  for (int i = 0; i < 100 && !slot_active(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(slot_active());

  auto config = audit::default_config();
  config.checks["xmin_horizon"].params["slot_medium_bytes"] = std::to_string(16 * 1024 * 1024);
  // the consumer keeps up: in use and close behind, not a finding
  CHECK_FALSE(has_finding(audit_conninfo(conninfo, {"xmin_horizon"}, config), "xmin_horizon", "sa_standby_slot"));

  // the standby hangs (its connection stays open, the slot in use) while the server writes 40 MB of WAL
  ::kill(receiver, SIGSTOP);
  REQUIRE(run_psql_script(conninfo, "create table filler as select g, repeat('x', 100) as pad from generate_series(1, 300000) g;\n"
                                    "select pg_switch_wal();\n")
            .errors()
            .empty());
  const auto lagging = audit_conninfo(conninfo, {"xmin_horizon"}, config);
  ::kill(receiver, SIGCONT);
  const auto& slot = finding(lagging, "xmin_horizon", "sa_standby_slot");
  CHECK(slot.severity == model::Severity::medium);
  CHECK(slot.evidence["active"] == true);
  CHECK(slot.evidence["retained_wal_bytes"].get<double>() >= 16 * 1024 * 1024);
  CHECK(slot.message.find("is in use, but its consumer lags") != std::string::npos);
  CHECK(slot.remediation.find("Do not drop it") != std::string::npos);
  CHECK(slot.remediation.find("pg_drop_replication_slot") == std::string::npos);
  CHECK(slot.undo.empty());

  // resumed, it confirms what it received: no longer behind
  bool caught_up = false;
  for (int i = 0; i < 100 && !caught_up; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    caught_up = !has_finding(audit_conninfo(conninfo, {"xmin_horizon"}, config), "xmin_horizon", "sa_standby_slot");
  }
  CHECK(caught_up);
  ::kill(receiver, SIGTERM);
}
