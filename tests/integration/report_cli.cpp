#include "integration/report_histories.hpp"
#include "support/test_db.hpp"
#include "util/time.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace test;
using nlohmann::json;

namespace {

// Six quarterly snapshots of "prod" (ids 1-6) and one of "staging" (id 7).
std::string
history_file()
{
  static const auto path = [] {
    const auto p = report_work_dir("report_cli") / "history.db";
    write_report_history(p, 6);
    return p;
  }();
  return shell_quote(path.string());
}

json
report_json(const std::string& extra = {})
{
  const auto r = run_cli("report --format json --history " + history_file() + " " + extra);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

const json&
by_key(const json& list, const char* key, const std::string& value)
{
  for (const auto& item : list) {
    if (item[key] == value) {
      return item;
    }
  }
  FAIL("no item with " << key << " = " << value << " in " << list.dump());
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("report json: summary, changes and ages over six snapshots", "[report]")
{
  const auto model = report_json();
  CHECK(model["schema_version"] == 2);
  CHECK(model["multiple_databases"] == true);
  REQUIRE(model["databases"].size() == 2);
  const auto& prod = model["databases"][0];
  CHECK(prod["name"] == "prod");
  CHECK(prod["anchor"] == "db-1");
  CHECK(prod["snapshot_count"] == 6);
  CHECK(prod["summary"]["total"] == 8);
  // missing_fk_index disappeared in the last snapshot; events bloat went medium -> high, and four
  // findings kept their severity while their measures grew (the sequence 76% -> 85%, the
  // index and the hostile table's bloat, the unused index's size): worse too, saying by how much.
  CHECK(prod["changes"]["fixed_count"] == 1);
  CHECK(prod["changes"]["fixed"][0]["check_id"] == "missing_fk_index");
  CHECK(prod["changes"]["worse_count"] == 5);
  const auto& events = by_key(prod["changes"]["worse"], "object", "public.events");
  CHECK(events["change_text"] == "worse, was medium");
  CHECK(by_key(prod["changes"]["worse"], "object", "public.orders_id_seq")["change_text"] ==
        "worse: usage_pct 76.0% \u2192 85.0%");
  CHECK(prod["changes"]["new_count"] == 0);
  // Sorted fix-first: the critical invalid index leads, and carries its age.
  const auto& first = prod["findings"][0];
  CHECK(first["check_id"] == "invalid_index");
  CHECK(first["first_seen"] == "2025-12-31"); // the 5th quarter: 4 x 91 days in
  CHECK(first["snapshots_seen"] == 2);
  const auto& note_idx = by_key(prod["findings"], "object", "public.orders_note_idx");
  CHECK(note_idx["first_seen"] == "2025-01-01");
  CHECK(note_idx["quarters"] == 5);
  CHECK(note_idx["snapshots_seen"] == 6);
  // The fleet row points at the section by index, never by name.
  CHECK(model["fleet"][0]["anchor"] == "db-1");
  CHECK(model["fleet"][0]["trend"] == "down");
  CHECK(model["fleet"][0]["worst"]["check_id"] == "invalid_index");
}

TEST_CASE("report json: trend series, sequence projection, index scan deltas, deprecations", "[report]")
{
  const auto model = report_json();
  const auto& trends = model["databases"][0]["trends"];
  CHECK(trends["has_trends"] == true);
  CHECK(trends["labels"].size() == 6);
  const auto& unused = by_key(trends["charts"], "id", "unused_index_size");
  // orders_note_idx 4e8 + 1e8 k plus the hostile 2e8, per snapshot.
  CHECK(unused["series"][0]["values"][0].get<double>() == Approx(6e8));
  CHECK(unused["series"][0]["values"][5].get<double>() == Approx(11e8));
  const auto& bloat = by_key(trends["charts"], "id", "bloat");
  CHECK(bloat["series"].size() == 2);
  const auto& db_size = by_key(trends["charts"], "id", "database_size");
  CHECK(db_size["series"][0]["values"].size() == 6);
  CHECK(db_size["series"][0]["values"][5].get<double>() == Approx(1e11));
  const auto& largest = by_key(trends["charts"], "id", "largest_tables");
  CHECK(largest["series"][0]["name"] == "public.events");
  CHECK(largest["series"][0]["values"][0].get<double>() == Approx(2e10)); // from a light (older) snapshot

  // 40 % growing 9 points a quarter of 91 days: at 85 % on 2026-04-01 (+455 days), 100 % about
  // 151.7 days later.
  const auto& seq = by_key(trends["sequences"], "object", "public.orders_id_seq");
  CHECK(seq["usage_pct"].get<double>() == Approx(85));
  const auto expected = util::format_iso(*util::parse_iso("2025-01-01") + 455 * 86400 + 151 * 86400 + 57600).substr(0, 10);
  CHECK(seq["exhaustion_date"] == expected);
  // A sequence without a finding shows from 50 % usage on.
  CHECK(by_key(trends["sequences"], "object", "public.events_id_seq")["values"].size() == 6);

  // Scans of orders_note_idx: 0, 12, 24, reset to 2, 48, 60.
  const auto& scans = by_key(trends["index_usage"], "object", "public.orders_note_idx");
  CHECK(scans["deltas"] == json{12.0, 12.0, 2.0, 46.0, 12.0});
  CHECK(scans["stats_reset_seen"] == true);

  const auto& board = model["databases"][0]["deprecations"];
  REQUIRE(board.size() == 1);
  CHECK(board[0]["object"] == "public.deprecated_legacy_orders");
  CHECK(board[0]["ready_to_drop"] == true);
  CHECK(board[0]["age_days"] == 455);
  CHECK(board[0]["first_seen"] == "2025-01-01");

  // Stats reset three days before the audit.
  const auto& caveats = model["databases"][0]["caveats"];
  CHECK(std::any_of(caveats.begin(), caveats.end(), [](const json& c) { return c["kind"] == "young_stats"; }));
  CHECK(model["databases"][0]["skipped"][0]["check_id"] == "exact_bloat");
}

TEST_CASE("report: one snapshot says there are no trends yet, and --db-name picks one database", "[report]")
{
  const auto model = report_json("--db-name staging");
  REQUIRE(model["databases"].size() == 1);
  CHECK(model["multiple_databases"] == false);
  CHECK(model["databases"][0]["trends"]["has_trends"] == false);
  CHECK(model["databases"][0]["has_previous"] == false);

  const auto html = run_cli("report --db-name staging --history " + history_file());
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("no trends yet") != std::string::npos);
  CHECK(html.out.find("id=\"fleet\"") == std::string::npos);
  const auto md = run_cli("report --format markdown --db-name staging --history " + history_file());
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("no trends yet") != std::string::npos);

  const auto bad = run_cli("report --db-name nosuch --history " + history_file());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.rfind("schema-audit: error: --db-name nosuch: no snapshots of that database in ", 0) == 0);
  CHECK(bad.err.ends_with("/history.db; it has: prod, staging\n"));
}

TEST_CASE("report --templates: a template naming missing data fails with its file and line", "[report][templates]")
{
  const auto dir = report_work_dir("report_templates");
  {
    std::ofstream(dir / "report.md.mustache") << "# Report\n{{#databases}}\n## {{name}}\n{{#findings}}\n- {{objekt}}\n"
                                                 "{{/findings}}\n{{/databases}}\n";
  }
  auto r = run_cli(fmt::format("report --format markdown --templates {} --history {}", shell_quote(dir.string()), history_file()));
  CHECK(r.exit_code == 5);
  CHECK(r.err == fmt::format("schema-audit: error: {}:5: unknown name 'objekt'\n", (dir / "report.md.mustache").string()));
  CHECK(r.out.empty());

  {
    std::ofstream(dir / "report.md.mustache") << "# Report\n\n{{#databases}}\n## {{name}}\n";
  }
  r = run_cli(fmt::format("report --format markdown --templates {} --history {}", shell_quote(dir.string()), history_file()));
  CHECK(r.exit_code == 5);
  CHECK(r.err.rfind(fmt::format("schema-audit: error: {}:3: ", (dir / "report.md.mustache").string()), 0) == 0);

  // A name only used inside a list that is empty in this history is still checked.
  {
    std::ofstream(dir / "report.md.mustache") << "{{#databases}}{{#deprecations}}\n\n{{ready_to_drap}}{{/deprecations}}{{/databases}}\n";
  }
  r = run_cli(fmt::format("report --format markdown --db-name staging --templates {} --history {}",
                          shell_quote(dir.string()), history_file()));
  CHECK(r.exit_code == 5);
  CHECK(r.err == fmt::format("schema-audit: error: {}:3: unknown name 'ready_to_drap'\n", (dir / "report.md.mustache").string()));

  // A valid override is used.
  {
    std::ofstream(dir / "report.md.mustache") << "{{#databases}}{{name}}: {{summary.total}}\n{{/databases}}";
  }
  r = run_cli(fmt::format("report --format markdown --templates {} --history {}", shell_quote(dir.string()), history_file()));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "prod: 8\nstaging: 1\n");
}

TEST_CASE("diff: what is new, fixed, worse and better between two snapshots", "[report][diff]")
{
  // Default: the last two snapshots of the database.
  auto r = run_cli("diff --format json --db-name prod --history " + history_file());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto diff = json::parse(r.out);
  CHECK(diff["schema_version"] == 3);
  CHECK(diff["from"]["id"] == 5);
  CHECK(diff["to"]["id"] == 6);
  CHECK(diff["counts"]["new"] == 0);
  REQUIRE(diff["fixed"].size() == 1);
  CHECK(diff["fixed"][0]["check_id"] == "missing_fk_index");
  // events' bloat: medium -> high, and its share grew; the sequence stays high but fills up.
  const auto& events = by_key(diff["worse"], "object", "public.events");
  CHECK(events["severity_before"] == "medium");
  CHECK(events["severity"] == "high");
  CHECK(events["measure"]["key"] == "bloat_pct");
  CHECK(events["measure"]["after"] == "45.0%");
  const auto& sequence = by_key(diff["worse"], "object", "public.orders_id_seq");
  CHECK(sequence["severity_before"].is_null());
  CHECK(sequence["measure"]["before"] == "76.0%");
  CHECK(sequence["measure"]["after"] == "85.0%");
  // The deprecated table's age ticked over: not a change.
  for (const auto& f : diff["worse"]) {
    CHECK(f["check_id"] != "deprecated_object");
  }
  CHECK(diff["counts"]["unchanged"] >= 1);
  CHECK(diff["counts"]["worse"] == diff["worse"].size());

  // Explicit snapshots, by id and by date.
  r = run_cli("diff --format json --db-name prod --from 2025-01-01 --to 5 --history " + history_file());
  REQUIRE(r.exit_code == 0);
  diff = json::parse(r.out);
  CHECK(diff["from"]["id"] == 1);
  CHECK(by_key(diff["new"], "check_id", "invalid_index")["object"] == "public.orders_code_key");

  r = run_cli("diff --db-name prod --history " + history_file());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("0 new, 1 fixed, ") != std::string::npos);
  CHECK(r.out.find("\nFixed:\n  medium    missing_fk_index  public.lines.lines_order_fk\n") != std::string::npos);
  CHECK(r.out.find("\nWorse:\n") != std::string::npos);
  CHECK(r.out.find("            severity medium -> high; bloat_pct 40.0% -> 45.0%\n") != std::string::npos);

  r = run_cli("diff --format markdown --db-name prod --history " + history_file());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("### Fixed") != std::string::npos);
  CHECK(r.out.find("| medium | missing\\_fk\\_index | public.lines.lines\\_order\\_fk |") != std::string::npos);
  CHECK(r.out.find("### Worse") != std::string::npos);
}

TEST_CASE("diff: bad input gives one line and a distinct exit code", "[report][diff]")
{
  auto r = run_cli("diff --history " + history_file());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("holds several databases (prod, staging); choose one with --db-name\n") != std::string::npos);
  r = run_cli("diff --db-name staging --history " + history_file());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("only one snapshot of staging") != std::string::npos);
  r = run_cli("diff --db-name prod --from 99 --history " + history_file());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "schema-audit: error: --from 99: no such snapshot of this database; list them with \"schema-audit history\"\n");
  r = run_cli("diff --db-name prod --to yesterday --history " + history_file());
  CHECK(r.exit_code == 2);
  r = run_cli("diff --history /nonexistent/h.db");
  CHECK(r.exit_code == 4);
}
