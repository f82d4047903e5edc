#include "report/diff.hpp"
#include "report/diff_text.hpp"
#include "report/fields.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using nlohmann::json;

namespace {

model::Finding
finding(const std::string& check_id, model::Severity severity, const std::string& object, json evidence,
        std::string remediation = {})
{
  model::Finding f;
  f.check_id = check_id;
  f.category = check_id;
  f.severity = severity;
  f.object = object;
  f.object_type = "table";
  f.message = check_id + " on " + object;
  f.evidence = std::move(evidence);
  f.remediation = std::move(remediation);
  f.fingerprint = model::make_fingerprint(check_id, object);
  return f;
}

model::Snapshot
snapshot(std::int64_t id, std::vector<model::Finding> findings)
{
  model::Snapshot s;
  s.info.id = id;
  s.info.target_name = "app";
  s.info.taken_at = 1767225600 + id * 86400 * 91;
  s.findings = std::move(findings);
  return s;
}

} // namespace

TEST_CASE("diff: severity and measures beyond their noise count, stamps and ages do not", "[report][diff]")
{
  using model::Severity;
  const auto from = snapshot(1, {
    finding("sequence_overflow", Severity::critical, "public.orders_id_seq", json{{"usage_pct", 92.0}}),
    finding("vacuum_health", Severity::medium, "public.events",
            json{{"dead_pct", 30.0}, {"last_vacuum", "2026-01-01T00:00:00Z"}, {"vacuum_age_days", 12.5}},
            "vacuum (analyze) public.events;"),
    finding("unused_index", Severity::low, "public.a_idx", json{{"size_bytes", 8192}, {"age_days", 30}},
            "-- no scans since 2026-01-01\nif idx_scan > 3 then raise; end if;\ndrop index public.a_idx;"),
    finding("fk_without_index", Severity::medium, "public.lines.fk", json::object(),
            "set lock_timeout = '5s';\ncreate index concurrently lines_a_idx on public.lines (a);"),
    finding("table_bloat", Severity::high, "public.big", json{{"bloat_bytes", 2e9}}),
    finding("invalid_index", Severity::high, "public.gone_idx", json::object()),
  });
  auto to = snapshot(2, {
    finding("sequence_overflow", Severity::critical, "public.orders_id_seq", json{{"usage_pct", 94.0}}),
    finding("vacuum_health", Severity::medium, "public.events",
            json{{"dead_pct", 31.0}, {"last_vacuum", "2026-04-01T00:00:00Z"}, {"vacuum_age_days", 2.0}},
            "vacuum (analyze) public.events;"),
    finding("unused_index", Severity::low, "public.a_idx", json{{"size_bytes", 8192}, {"age_days", 121}},
            "-- no scans since 2026-04-01\nif idx_scan > 17 then raise; end if;\ndrop index public.a_idx;"),
    finding("fk_without_index", Severity::medium, "public.lines.fk", json::object(),
            "set lock_timeout = '5s';\ncreate index concurrently lines_a_b_idx on public.lines (a, b);"),
    finding("table_bloat", Severity::medium, "public.big", json{{"bloat_bytes", 1e9}}),
    finding("missing_fk", Severity::low, "public.new_col", json::object()),
  });
  to.findings[1].message = "vacuum_health on public.events, 2 days since its last vacuum"; // messages tick too

  const auto diff = report::build_diff(from, to, 0);
  const auto counts = diff.counts();
  CHECK(counts.new_count == 1);
  CHECK(counts.fixed == 1);
  REQUIRE(diff.worse.size() == 1);
  CHECK(diff.worse[0].finding.object == "public.orders_id_seq");
  REQUIRE(diff.worse[0].measure);
  CHECK(diff.worse[0].measure->before == "92.0%");
  CHECK(diff.worse[0].measure->after == "94.0%");
  CHECK_FALSE(diff.worse[0].severity_before);
  REQUIRE(diff.better.size() == 1);
  CHECK(diff.better[0].severity_before == "high");
  CHECK(diff.better[0].measure->after == "953.7 MB");
  REQUIRE(diff.fix_changed.size() == 1);
  CHECK(diff.fix_changed[0].finding.object == "public.lines.fk");
  CHECK(diff.fix_changed[0].fix_diff
        == std::vector<std::string>{"@@ -1,2 +1,2 @@", " set lock_timeout = '5s';",
                                    "-create index concurrently lines_a_idx on public.lines (a);",
                                    "+create index concurrently lines_a_b_idx on public.lines (a, b);"});
  // vacuum stamps, ages, the message, and a fix whose only change is its numbers
  CHECK(counts.unchanged == 2);

  std::ostringstream text;
  report::write_diff_text(diff, text);
  CHECK(text.str().find("1 new, 1 fixed, 1 worse, 1 better, 2 unchanged, 1 with another fix\n") != std::string::npos);
  CHECK(text.str().find("            usage_pct 92.0% -> 94.0%\n") != std::string::npos);
  CHECK(text.str().find("            severity high -> medium; bloat_bytes 1.9 GB -> 953.7 MB\n") != std::string::npos);
  CHECK(text.str().find("              +create index concurrently lines_a_b_idx on public.lines (a, b);\n")
        != std::string::npos);
  CHECK(text.str().find("\\x0a") == std::string::npos);
  CHECK(text.str().find("disappeared") == std::string::npos);

  const auto doc = report::to_json(diff);
  CHECK(doc["counts"]["new"] == 1);
  CHECK(doc["counts"]["fixed"] == 1);
  CHECK(doc["fix_changed"][0]["fix_diff"].size() == 4);
  CHECK(doc["better"][0]["severity_before"] == "high");
  CHECK(doc["worse"][0]["severity_before"].is_null());
}

TEST_CASE("diff: snapshots with the same findings are identical only when the schema did not change either",
          "[report][diff]")
{
  using model::Severity;
  const auto same = finding("invalid_index", Severity::high, "public.a_idx", json::object());
  auto diff = report::build_diff(snapshot(1, {same}), snapshot(2, {same}), 0);
  CHECK(diff.identical());
  CHECK(report::to_json(diff)["identical"] == true);
  diff.schema_catalog = true;
  diff.schema_changes.push_back(report::SchemaChangeLine{"added", "column", "public.t.c", "column public.t.c added"});
  CHECK_FALSE(diff.identical());
  CHECK(report::to_json(diff)["identical"] == false);
}

TEST_CASE("diff: findings left out of both snapshots as unchanged count as unchanged and in each side's total",
          "[report][diff]")
{
  using model::Severity;
  const auto added = finding("invalid_index", Severity::high, "public.a_idx", json::object());
  const auto diff = report::build_diff(snapshot(1, {}), snapshot(2, {added}), 0, 1000);
  CHECK(diff.unchanged == 1000);
  CHECK(diff.new_findings.size() == 1);
  CHECK(diff.from.findings == 1000);
  CHECK(diff.to.findings == 1001);
  CHECK_FALSE(diff.identical());
  CHECK(report::build_diff(snapshot(1, {}), snapshot(2, {}), 0, 1000).identical());
}

TEST_CASE("diff: findings of a check that did not run on one side are shown by check, a few each", "[report][diff]")
{
  using model::Severity;
  auto from = snapshot(1, {});
  from.skipped.push_back(model::SkippedCheck{"unused_index", "statistics were reset yesterday", model::SkipCause::unmet_need});
  from.skipped.push_back(model::SkippedCheck{"unused_table", "statistics were reset yesterday", model::SkipCause::unmet_need});
  std::vector<model::Finding> findings;
  for (int i = 0; i < 12; ++i) {
    findings.push_back(finding("unused_index", Severity::low, "tenant_" + std::to_string(i) + ".a_idx", json::object()));
  }
  findings.push_back(finding("unused_table", Severity::low, "tenant_1.old", json::object()));
  findings.push_back(finding("unused_table", Severity::low, "tenant_2.old", json::object()));
  const auto to = snapshot(2, std::move(findings));

  const auto diff = report::build_diff(from, to, 0);
  REQUIRE(diff.not_checked_before.size() == 14);
  const auto groups = report::not_checked_groups(diff.not_checked_before);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].check_id == "unused_index");
  CHECK(groups[0].count == 12);
  CHECK(groups[0].reason == "statistics were reset yesterday");
  CHECK(groups[0].examples.size() == report::k_not_checked_examples);
  CHECK(groups[1].count == 2);
  CHECK(groups[1].example_objects() == "tenant_1.old, tenant_2.old");

  std::ostringstream text;
  report::write_diff_text(diff, text);
  const auto s = text.str();
  CHECK(s.find("14 not checked in the older snapshot") != std::string::npos);
  CHECK(s.find("  unused_index: 12 finding(s); statistics were reset yesterday\n") != std::string::npos);
  CHECK(s.find("    and 7 more (--format json lists every one)\n") != std::string::npos);
  CHECK(s.find("  unused_table: 2 finding(s); statistics were reset yesterday\n") != std::string::npos);
  CHECK(s.find("tenant_1.old") != std::string::npos);
  CHECK(s.find("tenant_11.a_idx") == std::string::npos); // past the examples
  CHECK(s.find("and 0 more") == std::string::npos);

  const auto doc = report::to_json(diff);
  CHECK(doc["not_checked_before"].size() == 14); // JSON keeps every finding
  REQUIRE(doc["not_checked_before_groups"].size() == 2);
  CHECK(doc["not_checked_before_groups"][0]["more"] == 7);
  CHECK(doc["not_checked_before_groups"][1]["has_more"] == false);
}
