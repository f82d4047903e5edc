#include "model/check.hpp"
#include "audit/config.hpp"
#include "audit/registry.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <map>

using Catch::Matchers::Contains;

TEST_CASE("parse_check: header keys, continuation lines, free comments", "[unit][audit]")
{
  const auto def = model::parse_check("queries/x.sql", R"(-- id: x
-- category: cat
-- title: A title
-- severity: high
-- effort: medium
-- needs: read_all_stats, history
-- min_server: 14
-- params: a=1, b={p,q}
-- rationale: First part
--   continues here.
--
-- Free text: with a colon, not a key.
select 1 as object
)");
  CHECK(def.id == "x");
  CHECK(def.category == "cat");
  CHECK(def.title == "A title");
  CHECK(def.severity == model::Severity::high);
  CHECK(def.effort == model::Effort::medium);
  CHECK(def.needs == std::vector<std::string>{"read_all_stats", "history"});
  CHECK(def.min_server_major == 14);
  REQUIRE(def.params.size() == 2);
  CHECK(def.params[1] == std::pair<std::string, std::string>{"b", "{p,q}"});
  CHECK(def.rationale == "First part continues here.");
  CHECK(def.sql == "select 1 as object");
}

TEST_CASE("parse_check: errors name the file and line", "[unit][audit]")
{
  auto message_of = [](std::string_view text) {
    try {
      model::parse_check("q/bad.sql", text);
    } catch (const util::Fatal& e) {
      CHECK(e.code() == util::ExitCode::config);
      return std::string(e.what());
    }
    FAIL("no error for: " << text);
    return std::string();
  };
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- severty: high\nselect 1"), Contains("q/bad.sql:3: unknown header key \"severty\""));
  CHECK_THAT(message_of("-- category: c\nselect 1"), Contains("missing \"-- id:"));
  CHECK_THAT(message_of("-- id: X-Y\n-- category: c\nselect 1"), Contains("q/bad.sql:1: id must be"));
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- severity: urgent\nselect 1"), Contains("q/bad.sql:3: severity must be"));
  CHECK_THAT(message_of("-- id: x\n-- category: c\n"), Contains("no SQL after the header"));
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- params: =1\nselect 1"), Contains("params must be"));
}

TEST_CASE("parse_check: a severity, a range, a range and its default", "[unit][audit]")
{
  auto parsed = [](std::string_view severity) {
    return model::parse_check("q/x.sql", fmt::format("-- id: x\n-- category: c\n-- severity: {}\nselect 1", severity));
  };
  const auto one = parsed("high");
  CHECK(one.severity == model::Severity::high);
  CHECK(model::to_string(one.severity_range) == "high");
  const auto range = parsed("medium..critical");
  CHECK(range.severity == model::Severity::medium);
  CHECK(model::to_string(range.severity_range) == "medium..critical");
  CHECK(range.severity_range.contains(model::Severity::critical));
  CHECK_FALSE(range.severity_range.contains(model::Severity::low));
  const auto with_default = parsed("info..high, default medium");
  CHECK(with_default.severity == model::Severity::medium);
  CHECK(with_default.severity_range.lowest == model::Severity::info);
  CHECK(with_default.severity_range.highest == model::Severity::high);
  for (const auto* bad : {"high..low", "low..medium, default high", "low..urgent", "low..high, medium", "low...high"}) {
    INFO(bad);
    CHECK_THROWS_AS(parsed(bad), util::Fatal);
  }
}

TEST_CASE("split_query_file_name: version variants", "[unit][audit]")
{
  CHECK(model::split_query_file_name("unused_index.sql") == std::pair<std::string, int>{"unused_index", 0});
  CHECK(model::split_query_file_name("unused_index.pg16.sql") == std::pair<std::string, int>{"unused_index", 16});
  CHECK(model::split_query_file_name("a.pgx.sql") == std::pair<std::string, int>{"a.pgx", 0});
}

TEST_CASE("sql_for picks the newest variant the server supports", "[unit][audit]")
{
  model::CheckDef def;
  def.sql = "base";
  def.variants = {{14, "v14"}, {16, "v16"}};
  CHECK(def.sql_for(13) == "base");
  CHECK(def.sql_for(15) == "v14");
  CHECK(def.sql_for(17) == "v16");
}

TEST_CASE("embedded registry: every query file parses and names itself", "[unit][audit]")
{
  const auto registry = audit::Registry::load();
  REQUIRE_FALSE(registry.checks().empty());
  for (const auto& def : registry.checks()) {
    INFO(def.source);
    CHECK(def.source == "queries/" + def.id + ".sql");
    CHECK_FALSE(def.sql.empty());
    if (def.kind == model::CheckKind::findings) {
      CHECK_FALSE(def.rationale.empty());
      CHECK_FALSE(def.category.empty());
    }
  }
}

// The severities a query's SQL gives by name in its severity column: the quoted words of each
// expression that ends "as severity" (from its "case").
std::set<model::Severity>
severities_named(const std::string& sql)
{
  std::set<model::Severity> out;
  for (auto end = sql.find("as severity"); end != std::string::npos; end = sql.find("as severity", end + 1)) {
    const auto start = sql.rfind("case", end);
    if (start == std::string::npos) {
      continue;
    }
    const auto expression = sql.substr(start, end - start);
    for (const auto* word : {"info", "low", "medium", "high", "critical"}) {
      if (expression.find(fmt::format("'{}'", word)) != std::string::npos) {
        out.insert(*model::parse_severity(word));
      }
    }
  }
  return out;
}

TEST_CASE("embedded registry: the severities a query names are in its declared range", "[unit][audit]")
{
  // The SQL half of what cli.check_severity_ranges checks on the planted database: it catches a
  // grade the planted database does not reach. Checks graded in C++ are covered there only.
  const auto registry = audit::Registry::load();
  std::size_t graded = 0;
  for (const auto& def : registry.checks()) {
    if (def.kind != model::CheckKind::findings) {
      continue;
    }
    INFO(def.id << " declares " << model::to_string(def.severity_range));
    CHECK(def.severity_range.contains(def.severity));
    std::vector<const std::string*> texts{&def.sql};
    for (const auto& [major, variant] : def.variants) {
      texts.push_back(&variant);
    }
    for (const auto* text : texts) {
      const auto named = severities_named(*text);
      graded += named.empty() ? 0 : 1;
      for (const auto s : named) {
        INFO("its SQL gives " << model::to_string(s));
        CHECK(def.severity_range.contains(s));
      }
    }
  }
  CHECK(graded >= 10); // the expressions are found at all
}

TEST_CASE("parse_check: what the report charts and lists, and params taken from the config", "[unit][audit]")
{
  const auto def = model::parse_check("queries/x.sql", "-- id: x\n-- category: c\n-- area: bloat\n-- trend: bloat\n"
                                                       "-- report: deprecation_board\n-- params: a=1, grace_days=(config)\nselect 1");
  CHECK(def.area == "bloat");
  CHECK(model::parse_check("q/y.sql", "-- id: y\n-- category: c\nselect 1").area == "other");
  CHECK(def.trend == model::TrendChart::bloat);
  CHECK(def.report_section == model::ReportSection::deprecation_board);
  CHECK(def.config_params == std::vector<std::string>{"grace_days"});
  REQUIRE(def.params.size() == 2);
  CHECK(def.params[1].first == "grace_days");

  auto message_of = [](std::string_view text) {
    try {
      model::parse_check("q/bad.sql", text);
    } catch (const util::Fatal& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- trend: size\nselect 1"),
             Contains("q/bad.sql:3: trend must be unused_index_size or bloat"));
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- report: board\nselect 1"),
             Contains("q/bad.sql:3: report must be deprecation_board"));
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- area: Index Health\nselect 1"),
             Contains("q/bad.sql:3: area must be lowercase letters, digits and _"));
  CHECK_THAT(message_of("-- id: x\n-- colour: red\nselect 1"),
             Contains("expected id, category, area, title, severity, effort, kind, cost, needs, min_server, params, input, "
                      "pages, trend, report, group, grading or rationale"));
  // An input read in pages: a positive number of rows, and only on an input.
  CHECK_THAT(message_of("-- id: x\n-- kind: input\n-- pages: 0\nselect 1"),
             Contains("q/bad.sql:3: pages must be the number of rows of a page, such as 1000"));
  CHECK_THAT(message_of("-- id: x\n-- category: c\n-- pages: 100\nselect 1"),
             Contains("only an input is read in pages"));
  CHECK(message_of("-- id: x\n-- kind: input\n-- pages: 100\nselect 1") == "no error");
}

TEST_CASE("embedded registry: the report's charts and board come from the checks' headers", "[unit][audit]")
{
  const auto registry = audit::Registry::load();
  std::map<std::string, model::TrendChart> trends;
  std::vector<std::string> boards;
  for (const auto& def : registry.checks()) {
    if (def.trend != model::TrendChart::none) {
      trends[def.id] = def.trend;
    }
    if (def.report_section == model::ReportSection::deprecation_board) {
      boards.push_back(def.id);
    }
  }
  // The checks whose categories the charts took by name before the headers said so.
  CHECK(trends == std::map<std::string, model::TrendChart>{{"index_bloat", model::TrendChart::bloat},
                                                            {"index_bloat_exact", model::TrendChart::bloat},
                                                            {"table_bloat", model::TrendChart::bloat},
                                                            {"table_bloat_exact", model::TrendChart::bloat},
                                                            {"unused_index", model::TrendChart::unused_index_size}});
  CHECK(boards == std::vector<std::string>{"deprecated_object"});
}

TEST_CASE("embedded registry: a param with the default (config) in the header takes the config's", "[unit][audit]")
{
  const auto registry = audit::Registry::load();
  const auto defaults = audit::default_config();
  int taken = 0;
  for (const auto& def : registry.checks()) {
    for (const auto& name : def.config_params) {
      INFO(def.id << " " << name);
      const auto param = std::find_if(def.params.begin(), def.params.end(), [&](const auto& p) { return p.first == name; });
      REQUIRE(param != def.params.end());
      CHECK(param->second == defaults.global(name));
      ++taken;
    }
  }
  CHECK(taken >= 4); // grace_days of deprecated_object, unused_column, unused_column_statements; stats_min_age_days
  CHECK(defaults.globals.at("grace_days") == std::to_string(defaults.deprecation_grace_days));
  CHECK(defaults.global("stats_min_age_days") == std::to_string(defaults.stats_min_age_days));
}

TEST_CASE("parse_check: the inputs a check declares, and an input's own header", "[unit][audit]")
{
  const auto def = model::parse_check("queries/x.sql", "-- id: x\n-- category: c\n-- input: a, b_2\n--\nselect 1");
  CHECK(def.inputs == std::vector<std::string>{"a", "b_2"});
  const auto input = model::parse_check("queries/inputs/a.sql", "-- id: a\n-- kind: input\n--\nselect 1 as v");
  CHECK(input.kind == model::CheckKind::input);
  CHECK(input.inputs.empty());
  CHECK_THROWS_WITH(model::parse_check("q/x.sql", "-- id: x\n-- category: c\n-- input: A-1\nselect 1"),
                    Contains("q/x.sql:3: input must be input names"));
  CHECK_THROWS_WITH(model::parse_check("q/a.sql", "-- id: a\n-- kind: input\n-- params: n=1\nselect $1"),
                    Contains("an input takes no params and no inputs"));
}

TEST_CASE("embedded registry: every input a check declares exists and is read by more than one check, by the runner, or provided by it",
          "[unit][audit]")
{
  const auto registry = audit::Registry::load();
  REQUIRE_FALSE(registry.inputs().empty());
  std::map<std::string, std::vector<std::string>> readers;
  for (const auto& def : registry.checks()) {
    for (const auto& name : def.inputs) {
      INFO(def.id << " declares " << name);
      REQUIRE(registry.find_input(name) != nullptr);
      readers[name].push_back(def.id);
    }
  }
  for (const auto& input : registry.inputs()) {
    INFO(input.id);
    CHECK(input.kind == model::CheckKind::input);
    CHECK(input.source == "queries/inputs/" + input.id + ".sql");
    // an input one check reads belongs in that check; partition_roots is read by the grouping of
    // findings after the checks (audit/group_findings.hpp), catalog by the runner after them
    // for the history (audit/read_catalog.hpp); logged_seq_scans is provided by the runner from
    // the query logs (rows from outside the database can reach a check no other way); audit_reads
    // by the runner on every session after the checks, into the metrics (audit/runner.cpp)
    CHECK((readers[input.id].size() >= 2 || input.id == "partition_roots" || input.id == "catalog"
           || input.id == "logged_seq_scans" || input.id == "audit_reads"));
  }
  CHECK(readers["logged_seq_scans"] == std::vector<std::string>{"missing_index_statements"});
  CHECK(readers["sequence_values"]
        == std::vector<std::string>{"deprecated_object", "fk_type_mismatch", "int_overflow", "metrics_sequences",
                                    "missing_fk", "sequence_overflow", "unused_sequence"});
  // Read on the replicas (audit/replica_usage.cpp): every check that compares usage counters.
  CHECK(readers["replica_usage"]
        == std::vector<std::string>{"metrics_indexes", "metrics_tables", "unused_index", "unused_table"});
}
