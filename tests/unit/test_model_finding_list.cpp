#include "model/finding_fields.hpp"
#include "model/finding_list.hpp"
#include "support/temp_faults.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

namespace {

model::Finding
finding(int n, model::Severity severity = model::Severity::medium)
{
  model::Finding f;
  f.check_id = "unused_index";
  f.severity = severity;
  f.object = fmt::format("public.t{}_idx", n);
  f.object_type = "index";
  f.fingerprint = fmt::format("fp{}", n);
  f.evidence = nlohmann::json{{"idx_scan", n}};
  f.message = fmt::format("index {} is unused", n);
  f.remediation = fmt::format("drop index concurrently if exists public.t{}_idx;", n);
  f.undo = fmt::format("create index concurrently t{}_idx on public.t{} (a);", n, n);
  return f;
}

void
check_whole(const model::Finding& got, int n)
{
  const auto expected = finding(n);
  CHECK(got.object == expected.object);
  CHECK(got.fingerprint == expected.fingerprint);
  CHECK(got.message == expected.message);
  CHECK(got.remediation == expected.remediation);
  CHECK(got.undo == expected.undo);
  CHECK(got.evidence == expected.evidence);
  CHECK(got.spilled_at == -1);
}

} // namespace

TEST_CASE("finding list: memory holds the heads, a finding is read back whole", "[unit][model]")
{
  // Run with a temporary folder and without one (the words then kept in memory, in the same form).
  const bool usable_tmpdir = GENERATE(true, false);
  const test::ScopedEnv tmpdir("TMPDIR", usable_tmpdir ? "/tmp" : "/nonexistent/schema-audit-test");
  model::FindingList list;
  for (int n = 0; n < 5; ++n) {
    list.push_back(finding(n));
  }
  REQUIRE(list.size() == 5);
  for (const auto& head : list.heads()) {
    CHECK(head.spilled_at != -1); // its words are in the spill
  }
  check_whole(list[3], 3);
  int n = 0;
  for (const auto& f : list) {
    check_whole(f, n++);
  }
  CHECK(list.whole().size() == 5);

  // A copy shares the spill; a finding put in place of another is spilled again.
  const auto copy = list;
  auto changed = list[1];
  changed.message = "changed";
  list.replace(1, changed);
  CHECK(list[1].message == "changed");
  check_whole(copy[1], 1);

  // Ordering and removal work on the heads; each keeps its own words.
  list.heads()[4].severity = model::Severity::critical;
  model::sort_by_priority(list);
  check_whole(list[0], 4);
  model::erase_if(list, [](const model::FindingHead& f) { return f.fingerprint == "fp0"; });
  CHECK(list.size() == 4);
  for (const auto& f : list) {
    CHECK(f.fingerprint != "fp0");
    CHECK(!f.remediation.empty());
  }
}

TEST_CASE("finding list: a head holds every field but the spilled ones", "[unit][model]")
{
  // FindingList keeps a finding's head and its spilled fields: a stored field in neither would be
  // lost. A field is in the head exactly when it is not spilled.
  model::Finding f;
  const auto* head_begin = reinterpret_cast<const char*>(&static_cast<const model::FindingHead&>(f));
  const auto* head_end = head_begin + sizeof(model::FindingHead);
  for (const auto& field : model::k_finding_fields) {
    const auto* at = std::visit([&](auto model::Finding::*member) { return reinterpret_cast<const char*>(&(f.*member)); },
                                field.member);
    INFO(field.name);
    CHECK((at >= head_begin && at < head_end) == !model::is_spilled(field));
  }
}
