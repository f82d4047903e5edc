#include "report/audit_output.hpp"

#include <catch2/catch.hpp>

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

  result.findings.clear();
  std::ostringstream empty;
  report::write_audit_json(result, "app", empty);
  CHECK(empty.str() == report::audit_json(result, "app").dump(2));
}

TEST_CASE("audit json: placeholders nested in a fleet document become each target's findings", "[report][json]")
{
  const auto first = sample_result();
  auto second = sample_result();
  second.findings.resize(1);

  json targets = json::array();
  json expected_targets = json::array();
  std::vector<const std::vector<model::Finding>*> findings;
  for (const model::AuditResult* r : std::vector<const model::AuditResult*>{&first, &second}) {
    auto one = report::audit_json_deferred(*r, "db", findings.size());
    findings.push_back(&r->findings);
    one["status"] = "ok";
    targets.push_back(std::move(one));
    auto full = report::audit_json(*r, "db");
    full["status"] = "ok";
    expected_targets.push_back(std::move(full));
  }
  std::ostringstream streamed;
  report::write_json_with_findings(json{{"targets", targets}, {"failed", 0}}, findings, streamed);
  CHECK(streamed.str() == json{{"targets", expected_targets}, {"failed", 0}}.dump(2));
}

TEST_CASE("audit text and json: the undo follows the fix, every finding has the key", "[report][json]")
{
  auto result = sample_result();
  result.findings[2].undo = "create index concurrently if not exists a on t (c);\n-- \x1b[2J cleared";
  std::ostringstream text;
  report::write_audit_text(result, text);
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
