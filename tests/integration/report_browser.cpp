#include "integration/report_histories.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace test;

namespace {

std::string
read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Opens `html` in headless Chromium (tests/cli/report_browser_check.js) with `options` (its
// KEY=VALUE arguments) and returns what the script printed; the screenshot goes to `dir`.
nlohmann::json
open_in_chromium(const std::filesystem::path& html, const std::filesystem::path& dir, const std::string& options = {})
{
  const auto result_file = dir / "browser.json";
  const auto command = fmt::format("node {} /usr/bin/chromium {} {} {} {} >{} 2>{}",
                                   shell_quote(SCHEMA_AUDIT_SOURCE_DIR "/tests/cli/report_browser_check.js"),
                                   shell_quote(html.string()), shell_quote((dir / "report.png").string()),
                                   shell_quote((dir / "profile").string()), options, shell_quote(result_file.string()),
                                   shell_quote((dir / "browser.err").string()));
  const int rc = std::system(command.c_str());
  const auto output = read_file(result_file);
  INFO(output);
  INFO(read_file(dir / "browser.err"));
  REQUIRE(rc == 0);
  return nlohmann::json::parse(output);
}

} // namespace

TEST_CASE("report: the HTML loads in headless Chromium with every section and one chart per trend",
          "[report][browser]")
{
  const auto dir = report_work_dir("report_browser");
  write_report_history(dir / "history.db", 8);
  const auto html = dir / "report.html";
  const auto r = run_cli(fmt::format("report --history {} -o {}", shell_quote((dir / "history.db").string()),
                                     shell_quote(html.string())));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  // Self-contained: nothing that could fetch or run anything.
  const auto text = read_file(html);
  CHECK(text.find("<script") == std::string::npos);
  CHECK(text.find("<link") == std::string::npos);
  CHECK(text.find("@import") == std::string::npos);
  CHECK(text.find("url(") == std::string::npos);
  CHECK(text.find("src=\"http") == std::string::npos);

  const auto screenshot = dir / "report.png";
  const auto result = open_in_chromium(html, dir);
  INFO(result.dump(2));

  CHECK(result["consoleErrors"].empty());
  CHECK(result["requests"].empty());
  const auto& dom = result["dom"];
  CHECK(dom["scripts"] == 0);
  CHECK(dom["images"] == 0); // the schema named <img src=x onerror=...> stayed text
  CHECK(dom["databases"] == nlohmann::json{"db-1", "db-2"});
  CHECK(dom["fleetRows"] == 2);
  const auto& sections = dom["sections"];
  for (const auto* section : {"Fleet overview", "Summary", "Fix first", "Trends", "Deprecation board",
                              "Skipped checks and caveats"}) {
    INFO(section);
    CHECK(std::any_of(sections.begin(), sections.end(),
                      [&](const auto& s) { return s.template get<std::string>().rfind(section, 0) == 0; }));
  }
  for (const auto* trend : {"findings_total", "unused_index_size", "bloat", "database_size", "largest_tables",
                            "findings_by_category", "sequence_overflow", "index_usage"}) {
    INFO(trend);
    CHECK(dom["trends"].value(trend, 0) >= 1);
  }
  REQUIRE(std::filesystem::exists(screenshot));
  CHECK(std::filesystem::file_size(screenshot) > 20000);
}

TEST_CASE("report: a fleet of 30,000 findings a snapshot stays small and opens on its summary", "[report][browser][scale]")
{
  const auto dir = report_work_dir("report_browser_fleet");
  const auto history = dir / "history.db";
  write_fleet_history(history, 3, 1035); // 29 findings a tenant: 30,015 in the latest snapshot
  const auto html = dir / "report.html";
  const auto markdown = dir / "report.md";
  for (const auto& [format, file] : {std::pair{"html", html}, std::pair{"markdown", markdown}}) {
    const auto r = run_cli(fmt::format("report --history {} --format {} -o {}", shell_quote(history.string()), format,
                                       shell_quote(file.string())));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  const auto text = read_file(html);
  // 30,015 findings in the latest snapshot: the page lists the entries and leaves every
  // finding to the JSON report, and says so.
  CHECK(std::filesystem::file_size(html) <= 1'500'000);
  CHECK(std::filesystem::file_size(markdown) <= 150'000);
  CHECK(text.find("every one, with its own fix, is in the JSON report") != std::string::npos);
  CHECK(read_file(markdown).find("is in the JSON report") != std::string::npos);

  const auto result = open_in_chromium(html, dir, "width=1400 height=900 shot=first");
  INFO(result.dump(2));
  CHECK(result["consoleErrors"].empty());
  const auto& dom = result["dom"];
  const auto& boxes = dom["boxes"];
  // The first screen holds the fleet overview and the riskiest database's headline numbers
  // (the fleet is sorted by risk: saas, with the critical sequence, comes first).
  REQUIRE(boxes["#fleet"].is_object());
  CHECK(boxes["#fleet"]["bottom"].get<int>() <= 900);
  REQUIRE(boxes[".kpis"].is_object());
  CHECK(boxes[".kpis"]["bottom"].get<int>() <= 900);
  CHECK(dom["fleetRows"] == 3);
  CHECK(dom["databases"].size() == 3);
  CHECK(dom["width"].get<int>() <= 1400); // nothing wider than the window
  CHECK(dom["minChartText"].get<double>() >= 12);
  WARN("fleet report: " << std::filesystem::file_size(html) << " bytes of HTML, " << std::filesystem::file_size(markdown)
                        << " bytes of Markdown, " << dom["domNodes"] << " DOM nodes, opened in " << result["loadMs"]
                        << " ms");
}
