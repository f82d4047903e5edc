#include "audit/registry.hpp"
#include "model/check.hpp"
#include "report/health.hpp"
#include "report/html_text.hpp"

#include <catch2/catch.hpp>

#include <set>

namespace {

model::CheckDef
check(std::string id, std::string area)
{
  model::CheckDef def;
  def.id = std::move(id);
  def.category = def.id;
  def.area = std::move(area);
  return def;
}

model::Finding
finding(std::string check_id, model::Severity severity)
{
  model::Finding f;
  f.check_id = std::move(check_id);
  f.severity = severity;
  f.object = "public.t";
  return f;
}

const report::AreaHealth&
line(const std::vector<report::AreaHealth>& health, std::string_view area)
{
  const auto it = std::find_if(health.begin(), health.end(), [&](const auto& h) { return h.area == area; });
  REQUIRE(it != health.end());
  return *it;
}

} // namespace

TEST_CASE("report health: one line per area, worst first, clean only when every check ran", "[report][health]")
{
  const std::vector<model::CheckDef> checks{check("unused_index", "indexes"), check("duplicate_index", "indexes"),
                                            check("table_bloat", "bloat"), check("index_bloat", "bloat"),
                                            check("missing_fk", "integrity"), check("type_money", "types")};
  model::Snapshot latest;
  latest.findings = {finding("unused_index", model::Severity::medium), finding("duplicate_index", model::Severity::high),
                     finding("unused_index", model::Severity::medium), finding("type_money", model::Severity::low),
                     finding("a_check_of_an_older_build", model::Severity::info)};
  latest.skipped = {model::SkippedCheck{"table_bloat", "needs pgstattuple"}, model::SkippedCheck{"index_bloat", "needs pgstattuple"},
                    model::SkippedCheck{"duplicate_index", "lock timeout", model::SkipCause::lock_timeout}};
  const auto health = report::area_health(latest, checks);

  REQUIRE(health.size() == 5);
  CHECK(health.front().area == "indexes");
  CHECK(line(health, "indexes").worst == model::Severity::high);
  CHECK(line(health, "indexes").text == "1 high, 2 medium; 1 of its 2 checks did not run");
  CHECK(line(health, "types").text == "1 low");
  CHECK(line(health, "integrity").state == "clean");
  CHECK(line(health, "integrity").text == "no findings");
  CHECK(line(health, "integrity").title == "Integrity");
  // Nothing found because nothing ran is not clean.
  CHECK(line(health, "bloat").state == "not_checked");
  CHECK(line(health, "bloat").text == "not checked: needs pgstattuple");
  CHECK(line(health, "other").count == 1);
  CHECK(health.back().area == "bloat");
}

TEST_CASE("report html text: identifiers wrap at their parts, and a CSS string cannot be escaped", "[report][html]")
{
  CHECK(report::wrappable_html("tenant_00001.orders<b>") == "tenant_<wbr>00001.<wbr>orders&lt;b&gt;");
  CHECK(report::wrappable_html("a\"'&") == "a&quot;&#39;&amp;");
  const auto css = report::css_string_content("db\"</style><script>\\ é");
  CHECK(css.find('"') == std::string::npos);
  CHECK(css.find('<') == std::string::npos);
  CHECK(css.find("\\22 ") != std::string::npos);
  CHECK(css.find("\\5c ") != std::string::npos);
  CHECK(css.find("é") != std::string::npos);
  CHECK(report::css_string_content("Schema audit: saas, audited 2026-11-16") == "Schema audit: saas, audited 2026-11-16");
}

TEST_CASE("report health: every built-in check counts in one of the documented areas", "[report][health]")
{
  const std::set<std::string> documented{"indexes", "bloat", "limits", "types", "integrity", "security", "cleanup"};
  const auto registry = audit::Registry::load();
  for (const auto& def : registry.checks()) {
    if (def.kind == model::CheckKind::findings) {
      INFO(def.id);
      CHECK(documented.count(def.area) == 1);
    }
  }
}
