// run_fleet: every target audited with the connection budget shared, a failing target recorded
// without stopping the others, outcomes in config order.
#include "audit/runner.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace test;

namespace {

void
plant_invalid_index(const ScratchDb& db)
{
  db.exec("create table t(id int); insert into t values (1), (1);");
  CHECK_THROWS(db.exec("create unique index concurrently t_id_key on t(id)"));
}

audit::AuditOptions
fleet_options(int jobs)
{
  audit::AuditOptions options;
  options.jobs = jobs;
  options.taken_at = 1767225600;
  options.only_checks = {"invalid_index"};
  return options;
}

const audit::Registry&
registry()
{
  static const auto r = audit::Registry::load();
  return r;
}

} // namespace

TEST_CASE("fleet: the connection budget is split over the targets", "[integration][fleet]")
{
  using P = std::pair<int, int>;
  auto plan = [](int jobs, std::size_t targets) {
    const auto p = audit::plan_fleet(jobs, targets);
    return P{p.parallel_targets, p.jobs_per_target};
  };
  CHECK(plan(2, 1) == P{1, 2});
  CHECK(plan(2, 5) == P{2, 1});
  CHECK(plan(4, 2) == P{2, 2});
  CHECK(plan(3, 2) == P{2, 1});
  CHECK(plan(1, 3) == P{1, 1});
  CHECK(plan(8, 0) == P{1, 8});
}

TEST_CASE("fleet: an unreachable target is reported and the others are audited", "[integration][fleet]")
{
  const int jobs = GENERATE(1, 2, 4);
  INFO("jobs " << jobs);
  ScratchDb alpha;
  ScratchDb beta;
  plant_invalid_index(alpha);
  const std::vector<audit::TargetConfig> targets{
    {"alpha", alpha.conninfo()},
    {"down", "host=127.0.0.1 port=1 dbname=x user=u password=s3cret-value connect_timeout=2"},
    {"beta", beta.conninfo()},
  };
  std::set<std::string> asked_previous;
  std::vector<std::string> done;
  const auto outcomes = audit::run_fleet(
    registry(), audit::default_config(), fleet_options(jobs), targets,
    [&](const std::string& name) {
      asked_previous.insert(name);
      return std::optional<model::PreviousSnapshot>{};
    },
    [&](audit::FleetOutcome& o) { done.push_back(o.name); });

  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].name == "alpha");
  CHECK(outcomes[1].name == "down");
  CHECK(outcomes[2].name == "beta");
  REQUIRE(outcomes[0].result.has_value());
  CHECK(outcomes[0].result->target.dbname == alpha.name());
  CHECK(has_finding(*outcomes[0].result, "invalid_index", "public.t_id_key"));
  REQUIRE(outcomes[2].result.has_value());
  CHECK(outcomes[2].result->target.dbname == beta.name());
  CHECK(findings_of(*outcomes[2].result, "invalid_index").empty());
  CHECK_FALSE(outcomes[1].result.has_value());
  CHECK(outcomes[1].code == util::ExitCode::connection);
  CHECK(outcomes[1].error.find("cannot connect") != std::string::npos);
  CHECK(outcomes[1].error.find("s3cret-value") == std::string::npos);
  CHECK(asked_previous == std::set<std::string>{"alpha", "beta"});
  CHECK(std::set<std::string>(done.begin(), done.end()) == std::set<std::string>{"alpha", "down", "beta"});
  CHECK(done.size() == 3);
}

TEST_CASE("fleet: a failing on_done (the history) stops starting targets and is rethrown", "[integration][fleet]")
{
  ScratchDb alpha;
  const std::vector<audit::TargetConfig> targets{{"a1", alpha.conninfo()}, {"a2", alpha.conninfo()}, {"a3", alpha.conninfo()}};
  int calls = 0;
  auto on_done = [&](audit::FleetOutcome&) {
    ++calls;
    throw util::Fatal(util::ExitCode::history, "history file is full");
  };
  try {
    audit::run_fleet(registry(), audit::default_config(), fleet_options(1), targets, nullptr, on_done);
    FAIL("the history failure was swallowed");
  } catch (const util::Fatal& e) {
    CHECK(e.code() == util::ExitCode::history);
  }
  CHECK(calls == 1);
}
