#include "model/finding_spill.hpp"
#include "support/temp_faults.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <thread>
#include <vector>

using namespace std::string_literals;

namespace {

model::Finding
finding(int n, std::string remediation)
{
  model::Finding f;
  f.check_id = "fk_without_index";
  f.object = fmt::format("public.t{}.fk", n);
  f.object_type = "constraint";
  f.fingerprint = fmt::format("fp{}", n);
  f.evidence = nlohmann::json{{"n", n}, {"ratio", n / 7.0}, {"views", nlohmann::json::array({"a", "b"})}, {"none", nullptr}};
  f.message = fmt::format("foreign key {} has no index", n);
  f.remediation = std::move(remediation);
  f.undo = n % 3 == 0 ? "" : fmt::format("drop index concurrently if exists i{};", n);
  return f;
}

void
check_same(const model::Finding& got, const model::Finding& expected)
{
  CHECK(got.spilled_at == -1);
  CHECK(got.message == expected.message);
  CHECK(got.remediation == expected.remediation);
  CHECK(got.undo == expected.undo);
  CHECK(got.object == expected.object);
  CHECK(got.evidence == expected.evidence);
}

} // namespace

TEST_CASE("finding spill: the words and the evidence leave memory and come back whole", "[unit][model]")
{
  model::FindingSpill spill;
  std::vector<model::Finding> expected;
  expected.push_back(finding(1, "create index concurrently if not exists i1 on public.t1 (a);"));
  expected.push_back(finding(2, "")); // no fix
  expected.push_back(finding(3, "with a NUL \0 inside, and é, 日本"s));
  expected.push_back(finding(4, std::string(200000, 'x'))); // longer than any pipe or buffer
  std::vector<model::Finding> spilled = expected;
  for (auto& f : spilled) {
    spill.spill(f);
    CHECK(f.spilled_at >= 0);
    CHECK(f.message.empty());
    CHECK(f.remediation.empty());
    CHECK(f.remediation.capacity() <= std::string().capacity()); // the memory is given back
    CHECK(f.evidence.is_null());
    CHECK(f.object == expected[&f - spilled.data()].object); // the short fields stay
  }
  CHECK(spill.bytes() > 200000);
  for (std::size_t i = 0; i < spilled.size(); ++i) {
    check_same(spill.whole(spilled[i]), expected[i]);
  }
  // restore() puts them back in place; spilling again writes them again, elsewhere.
  auto again = spilled[0];
  spill.restore(again);
  check_same(again, expected[0]);
  spill.spill(again);
  CHECK(again.spilled_at > spilled[0].spilled_at);
  check_same(spill.whole(again), expected[0]);
  // A finding whose words are in memory is left as it is.
  auto in_memory = expected[1];
  check_same(spill.whole(in_memory), expected[1]);
}

TEST_CASE("finding spill: checks finishing on several threads spill at once", "[unit][model]")
{
  model::FindingSpill spill;
  constexpr int threads = 4;
  constexpr int each = 500;
  std::vector<std::vector<model::Finding>> spilled(threads);
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&spilled, &spill, t] {
      for (int i = 0; i < each; ++i) {
        spilled[t].push_back(finding(t * each + i, fmt::format("fix {} {}", t * each + i, std::string(i % 97, 'y'))));
        spill.spill(spilled[t].back());
      }
    });
  }
  for (auto& t : running) {
    t.join();
  }
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < each; ++i) {
      const int n = t * each + i;
      REQUIRE(spilled[t][i].spilled_at >= 0);
      check_same(spill.whole(spilled[t][i]), finding(n, fmt::format("fix {} {}", n, std::string(i % 97, 'y'))));
    }
  }
}

TEST_CASE("finding spill: without a usable temporary folder the fields are kept in memory, in the same form", "[unit][model]")
{
  const test::ScopedEnv tmpdir("TMPDIR", "/nonexistent/schema-audit-test");
  model::FindingSpill spill;
  auto f = finding(1, "create index ...;");
  spill.spill(f);
  CHECK(f.spilled_at < -1); // in the spill's memory
  CHECK(f.remediation.empty());
  check_same(spill.whole(f), finding(1, "create index ...;"));
  model::FindingHead head = f; // what a FindingList keeps: the head alone still finds its words
  check_same(spill.whole(head), finding(1, "create index ...;"));
  CHECK(spill.bytes() == 0);
}

TEST_CASE("finding spill: a file that cannot grow keeps the later findings' fields in memory", "[unit][model]")
{
  model::FindingSpill spill;
  std::vector<model::Finding> findings;
  {
    const test::FileSizeLimit full(4096);
    REQUIRE(full.set());
    for (int i = 0; i < 20; ++i) {
      findings.push_back(finding(i, std::string(1000, 'z')));
      spill.spill(findings.back());
    }
  }

  CHECK(findings.front().spilled_at >= 0); // the first ones fit
  CHECK(findings.back().spilled_at < -1);  // the rest are kept in memory
  CHECK(spill.bytes() <= 4096);
  for (int i = 0; i < 20; ++i) {
    check_same(spill.whole(findings[i]), finding(i, std::string(1000, 'z')));
  }
}
