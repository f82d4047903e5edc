#include "integration/report_histories.hpp"
#include "support/test_db.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace test;

namespace {

std::string
history_file()
{
  static const auto path = [] {
    const auto p = report_work_dir("report_escaping") / "history.db";
    write_report_history(p, 3);
    return p;
  }();
  return shell_quote(path.string());
}

} // namespace

TEST_CASE("report: hostile identifiers arrive escaped in HTML", "[report][escaping]")
{
  const auto r = run_cli("report --history " + history_file());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("<img") == std::string::npos);
  CHECK(r.out.find("onerror=alert(1)>") == std::string::npos);
  CHECK(count(r.out, "&lt;img src=x onerror=alert(1)&gt;") >= 3); // finding, remediation, charts
  CHECK(r.out.find("t|x&quot;y&apos;z") != std::string::npos);
  // Inside SVG titles too.
  CHECK(r.out.find("<title>&lt;img src=x onerror=alert(1)&gt;.t|x&quot;y&#39;z") != std::string::npos);
}

TEST_CASE("report: hostile identifiers arrive escaped in Markdown", "[report][escaping]")
{
  const auto r = run_cli("report --format markdown --history " + history_file());
  REQUIRE(r.exit_code == 0);
  // Raw markup appears only inside indented code blocks, where Markdown shows it as text.
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK((line.find("<img") == std::string::npos || line.rfind("    ", 0) == 0));
  }
  // One table row: the pipe is escaped and the newline folded, so the cell cannot split.
  const auto row = r.out.find("| &lt;img src=x onerror=alert(1)&gt;.t\\|x\"y'z\\`\\*\\_\\[a\\](b) next");
  CHECK(row != std::string::npos);
  // Remediation is an indented code block, every line indented.
  CHECK(r.out.find("\n    drop index concurrently if exists \"<img src=x onerror=alert(1)>\".\"t|x") != std::string::npos);
  CHECK(r.out.find("\nnext_idx") == std::string::npos);
  CHECK(r.out.find("\n    next_idx\";") != std::string::npos);
}

TEST_CASE("report: hostile identifiers arrive intact and escaped in JSON", "[report][escaping]")
{
  const auto r = run_cli("report --format json --history " + history_file());
  REQUIRE(r.exit_code == 0);
  const auto model = nlohmann::json::parse(r.out);
  const std::string hostile = fmt::format("{}.{}", k_hostile_schema, k_hostile_table);
  bool found = false;
  for (const auto& f : model["databases"][0]["findings"]) {
    found = found || f["object"] == hostile;
  }
  CHECK(found);
  CHECK(r.out.find("t|x\\\"y'z`*_[a](b)\\nnext") != std::string::npos);
}

TEST_CASE("diff: hostile identifiers are escaped in text and Markdown", "[report][escaping][diff]")
{
  const auto text = run_cli("diff --db-name prod --from 1 --to 3 --history " + history_file());
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("t|x\"y'z`*_[a](b)\nnext") == std::string::npos); // no raw newline in a line
  const auto md = run_cli("diff --format markdown --db-name prod --from 1 --to 3 --history " + history_file());
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("<img") == std::string::npos);
  CHECK(md.out.find("&lt;img src=x onerror=alert(1)&gt;.t\\|x") != std::string::npos);
}
