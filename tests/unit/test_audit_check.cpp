#include "model/check.hpp"
#include "audit/registry.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

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
