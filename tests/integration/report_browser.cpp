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
  const auto result_file = dir / "browser.json";
  const auto command = fmt::format("node {} /usr/bin/chromium {} {} {} >{} 2>{}",
                                   shell_quote(SCHEMA_AUDIT_SOURCE_DIR "/tests/cli/report_browser_check.js"),
                                   shell_quote(html.string()), shell_quote(screenshot.string()),
                                   shell_quote((dir / "profile").string()), shell_quote(result_file.string()),
                                   shell_quote((dir / "browser.err").string()));
  const int rc = std::system(command.c_str());
  const auto output = read_file(result_file);
  INFO(output);
  INFO(read_file(dir / "browser.err"));
  REQUIRE(rc == 0);
  const auto result = nlohmann::json::parse(output);

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
