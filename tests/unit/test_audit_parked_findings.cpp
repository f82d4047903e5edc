#include "audit/parked_findings.hpp"
#include "model/finding_fields.hpp"
#include "support/temp_faults.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

namespace {

model::Finding
finding(int n)
{
  model::Finding f;
  f.check_id = "unused_index";
  f.category = "usage";
  f.severity = model::Severity::high;
  f.effort = model::Effort::medium;
  f.schema_name = fmt::format("tenant_{}", n);
  f.object = fmt::format("tenant_{}.orders_status_idx", n);
  f.object_type = "index";
  f.message = n % 2 ? "" : fmt::format("index {} was not scanned", n);
  f.evidence = n % 2 ? nlohmann::json() : nlohmann::json{{"idx_scan", 0}, {"size_bytes", 8192.5 * n}};
  f.remediation = n % 2 ? "" : std::string(3000, 'r'); // longer than one read
  f.confidence = "low";
  f.group_id = fmt::format("g{}", n % 3);
  f.fingerprint = fmt::format("{:064}", n);
  f.spilled_at = n % 2 ? 1000 * n : -1; // odd ones as if their words were in the FindingSpill
  return f;
}

} // namespace

TEST_CASE("parked findings: every field comes back as it was parked", "[unit][audit]")
{
  audit::ParkedFindings parked;
  std::vector<model::Finding> findings;
  for (int n = 0; n < 50; ++n) {
    findings.push_back(finding(n));
  }
  const auto places = parked.park(findings);
  REQUIRE(places);
  REQUIRE(places->size() == 50);
  CHECK(findings.empty());
  CHECK(findings.capacity() == 0); // the memory is given back
  for (int n = 0; n < 50; ++n) {
    INFO(n);
    const auto got = parked.take((*places)[n]);
    const auto expected = finding(n);
    for (const auto& field : model::k_finding_fields) {
      CHECK(model::stored_value(got, field) == model::stored_value(expected, field));
    }
    CHECK(got.spilled_at == expected.spilled_at);
  }
  std::vector<model::Finding> none;
  CHECK(parked.park(none) == std::vector<std::int64_t>{});
}

TEST_CASE("parked findings: without a usable temporary folder they stay where they are", "[unit][audit]")
{
  const test::ScopedEnv tmpdir("TMPDIR", "/nonexistent/schema-audit-test");
  audit::ParkedFindings parked;
  std::vector<model::Finding> findings{finding(1), finding(2)};
  CHECK_FALSE(parked.park(findings));
  REQUIRE(findings.size() == 2);
  CHECK(findings[1].remediation == finding(2).remediation);
}
