#include "model/finding.hpp"
#include "model/severity.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

// Findings with every severity and effort, a few checks and objects repeating (ties), and a
// message that tells each one apart.
std::vector<model::Finding>
shuffled_findings(std::size_t count, std::uint32_t seed)
{
  std::mt19937 random(seed);
  std::vector<model::Finding> findings;
  for (std::size_t i = 0; i < count; ++i) {
    model::Finding f;
    f.severity = static_cast<model::Severity>(random() % 5);
    f.effort = static_cast<model::Effort>(random() % 3);
    f.check_id = fmt::format("check_{}", random() % 4);
    f.object = fmt::format("public.t{}", random() % 50);
    f.message = fmt::format("finding {}", i);
    f.evidence = nlohmann::json{{"i", i}};
    findings.push_back(std::move(f));
  }
  return findings;
}

} // namespace

TEST_CASE("sort_by_priority: highest priority first, ties by check and object, else as they came", "[unit][model]")
{
  for (const std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{5000}}) {
    for (std::uint32_t seed = 1; seed <= 3; ++seed) {
      auto findings = shuffled_findings(count, seed);
      auto expected = findings;
      std::stable_sort(expected.begin(), expected.end(), [](const model::Finding& a, const model::Finding& b) {
        const int pa = model::priority_score(a.severity, a.effort);
        const int pb = model::priority_score(b.severity, b.effort);
        return std::tie(pb, a.check_id, a.object) < std::tie(pa, b.check_id, b.object);
      });
      model::sort_by_priority(findings);
      REQUIRE(findings.size() == expected.size());
      for (std::size_t i = 0; i < findings.size(); ++i) {
        INFO(fmt::format("{} findings, seed {}, place {}", count, seed, i));
        REQUIRE(findings[i].message == expected[i].message);
        REQUIRE(findings[i].evidence == expected[i].evidence);
      }
    }
  }
}
