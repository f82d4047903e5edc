#include "report/audit_output.hpp"

#include "util/text.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sstream>
#include <vector>

using nlohmann::json;

namespace {

model::Finding
finding(const std::string& object, json evidence)
{
  model::Finding f;
  f.check_id = "unused_index";
  f.category = "unused_index";
  f.schema_name = "public";
  f.object = object;
  f.object_type = "index";
  f.message = "index " + object + " is never used";
  f.evidence = std::move(evidence);
  f.remediation = "set lock_timeout = '5s';\ndrop index concurrently if exists " + object + ";";
  f.fingerprint = "fp-" + object;
  return f;
}

model::AuditResult
sample_result()
{
  model::AuditResult r;
  r.target = model::Target{"/tmp", "5432", "app", "auditor"};
  r.capabilities.server_version = "15.4";
  r.taken_at = 1764000000;
  // Names that look like the placeholder, quotes, newlines and non-ASCII must not confuse it.
  r.findings.push_back(finding("public.\"findings\": \"schema-audit:findings:0\"", json{{"size_bytes", 8192}}));
  r.findings.push_back(finding("public.line\nbreak_idx", json{{"nested", json{{"a", json::array({1, 2})}, {"b", json::object()}}}}));
  r.findings.push_back(finding("public.caf\xc3\xa9_idx", json::object()));
  r.skipped.push_back(model::SkippedCheck{"table_bloat_exact", "opt-in mode"});
  r.timings.push_back(model::CheckTiming{"unused_index", 12.5, 3});
  r.wall_ms = 20;
  r.query_ms = 12.5;
  return r;
}

} // namespace

TEST_CASE("audit json: the streamed output is byte for byte the dumped document", "[report][json]")
{
  auto result = sample_result();
  std::ostringstream streamed;
  report::write_audit_json(result, "app \"prod\"", streamed);
  CHECK(streamed.str() == report::audit_json(result, "app \"prod\"").dump(2));

  result.findings = {};
  std::ostringstream empty;
  report::write_audit_json(result, "app", empty);
  CHECK(empty.str() == report::audit_json(result, "app").dump(2));
}

TEST_CASE("audit json: placeholders nested in a fleet document become each target's findings", "[report][json]")
{
  const auto first = sample_result();
  auto second = sample_result();
  second.findings.heads().resize(1);

  json targets = json::array();
  json expected_targets = json::array();
  std::vector<const model::AuditResult*> results;
  for (const model::AuditResult* r : std::vector<const model::AuditResult*>{&first, &second}) {
    auto one = report::audit_json_deferred(*r, "db", results.size());
    results.push_back(r);
    one["status"] = "ok";
    targets.push_back(std::move(one));
    auto full = report::audit_json(*r, "db");
    full["status"] = "ok";
    expected_targets.push_back(std::move(full));
  }
  std::ostringstream streamed;
  report::write_json_with_findings(json{{"targets", targets}, {"failed", 0}}, results, streamed);
  CHECK(streamed.str() == json{{"targets", expected_targets}, {"failed", 0}}.dump(2));
}

TEST_CASE("audit text and json: the undo follows the fix, every finding has the key", "[report][json]")
{
  auto result = sample_result();
  auto with_undo = result.findings[2];
  with_undo.undo = "create index concurrently if not exists a on t (c);\n-- \x1b[2J cleared";
  result.findings.replace(2, with_undo);
  std::ostringstream text;
  report::TextOptions verbose;
  verbose.verbose = true;
  report::write_audit_text(result, text, verbose);
  const auto fix = "    drop index concurrently if exists public.caf\xc3\xa9_idx;\n";
  const auto undo = "  undo:\n    create index concurrently if not exists a on t (c);\n    -- \\x1b[2J cleared\n";
  REQUIRE(text.str().find(fix) != std::string::npos);
  CHECK(text.str().find(undo) == text.str().find(fix) + std::string(fix).size());
  CHECK(text.str().find("undo:") == text.str().rfind("undo:")); // only where there is one

  const auto doc = report::audit_json(result, "app");
  REQUIRE(doc["findings"].size() == 3);
  for (const auto& f : doc["findings"]) {
    CHECK(f["undo"].is_string());
  }
  CHECK(doc["findings"][2]["undo"] == result.findings[2].undo);
  CHECK(doc["findings"][0]["undo"] == "");
}

TEST_CASE("audit text and json: advice is labelled as nothing to run, and every finding has remediation_kind",
          "[report][json]")
{
  auto result = sample_result();
  auto advice = result.findings[1];
  advice.remediation = "-- not printed: the partition key of public.events still use created_at.\n"
                       "-- A partition key column cannot change type in place.";
  result.findings.replace(1, advice);
  auto no_fix = result.findings[2];
  no_fix.remediation.clear();
  result.findings.replace(2, no_fix);
  std::ostringstream text;
  report::TextOptions verbose;
  verbose.verbose = true;
  report::write_audit_text(result, text, verbose);
  CHECK(text.str().find("  advice (nothing to run):\n    -- not printed: the partition key") != std::string::npos);
  CHECK(text.str().find("  fix:\n    set lock_timeout") != std::string::npos);

  const auto doc = report::audit_json(result, "app");
  REQUIRE(doc["findings"].size() == 3);
  CHECK(doc["findings"][0]["remediation_kind"] == "script");
  CHECK(doc["findings"][1]["remediation_kind"] == "advice");
  CHECK(doc["findings"][2]["remediation_kind"] == "none");
}

namespace {

std::vector<std::string>
lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

} // namespace

TEST_CASE("audit text: one line per entry, the totals last, -v adds each fix", "[report][text]")
{
  auto result = sample_result();
  // An entry of twelve findings: one line naming as many as fit, then "and N more".
  for (int i = 0; i < 12; ++i) {
    auto f = finding(fmt::format("tenant_{:02}.orders_note_idx", i), json{{"size_bytes", 8192}});
    f.group_id = "tenants";
    result.findings.push_back(f);
  }
  auto near_limit = result.findings[0];
  near_limit.evidence = json{{"usage_pct", 92.5}};
  result.findings.replace(0, near_limit);
  std::ostringstream text;
  report::write_audit_text(result, text);
  const auto lines = lines_of(text.str());
  // header, blank, 4 entries, blank, skipped (2 lines), blank, totals
  REQUIRE(lines.size() == 11);
  CHECK(lines[0].find(", PostgreSQL 15.4, audited ") != std::string::npos);
  CHECK(lines[2] == "MEDIUM    unused_index  public.\"findings\": \"schema-audit:findings:0\" (92.5% used)");
  CHECK(lines[3] == "MEDIUM    unused_index  public.line\\x0abreak_idx");
  CHECK(lines[5].starts_with("MEDIUM    unused_index  index orders_note_idx in 12 schemas: tenant_00.orders_note_idx, "));
  CHECK(lines[5].ends_with(", tenant_07.orders_note_idx and 4 more"));
  CHECK(lines.back().starts_with("In all: 15 finding(s) in 4 entries: 15 medium; 1 check(s) ran in 20 ms, 1 skipped"));
  CHECK(text.str().find("drop index") == std::string::npos);

  // Within a width: the object list is cut, never the severity or the check id.
  report::TextOptions narrow;
  narrow.width = 80;
  std::ostringstream cut;
  report::write_audit_text(result, cut, narrow);
  const auto cut_lines = lines_of(cut.str());
  REQUIRE(cut_lines.size() == lines.size());
  for (std::size_t i = 2; i < 6; ++i) {
    INFO(cut_lines[i]);
    CHECK(util::display_width(cut_lines[i]) <= 80);
    CHECK(cut_lines[i].starts_with("MEDIUM    unused_index  "));
  }
  CHECK(cut_lines[5] == "MEDIUM    unused_index  index orders_note_idx in 12 schemas"); // no object fits
  narrow.width = 100;
  std::ostringstream wider;
  report::write_audit_text(result, wider, narrow);
  CHECK(lines_of(wider.str())[5]
        == "MEDIUM    unused_index  index orders_note_idx in 12 schemas: tenant_00.orders_note_idx and 11 more");
  narrow.width = 30;
  std::ostringstream tiny;
  report::write_audit_text(result, tiny, narrow);
  CHECK(lines_of(tiny.str())[5] == "MEDIUM    unused_index  ind...");

  // -v: each entry with its message and fix; the same totals last.
  report::TextOptions verbose;
  verbose.verbose = true;
  std::ostringstream full;
  report::write_audit_text(result, full, verbose);
  CHECK(full.str().find("  fix:\n    set lock_timeout = '5s';\n") != std::string::npos);
  CHECK(full.str().find("  also: tenant_01.orders_note_idx, ") != std::string::npos);
  CHECK(lines_of(full.str()).back().starts_with("In all: 15 finding(s) in 4 entries"));
  CHECK(lines_of(full.str()).size() > lines.size() + 10);

  // An entry whose findings differ in severity says so: the line shows the gravest (Hatchet's
  // "MEDIUM duplicate_index 45 indexes" held 41 low ones).
  for (const std::size_t at : {4u, 5u}) {
    auto low = result.findings[at];
    low.severity = model::Severity::low;
    result.findings.replace(at, low);
  }
  std::ostringstream mixed;
  report::write_audit_text(result, mixed);
  CHECK(lines_of(mixed.str())[5].starts_with("MEDIUM    unused_index  index orders_note_idx in 12 schemas (10 medium, 2 low): "));
  std::ostringstream mixed_full;
  report::write_audit_text(result, mixed_full, verbose);
  CHECK(mixed_full.str().find("MEDIUM    unused_index  index orders_note_idx in 12 schemas (10 medium, 2 low)\n") !=
        std::string::npos);
}
