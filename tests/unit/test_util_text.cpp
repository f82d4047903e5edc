#include "util/text.hpp"

#include <catch2/catch.hpp>

TEST_CASE("glob_match: star, question mark, anchors", "[unit][util]")
{
  CHECK(util::glob_match("deprecated_*", "deprecated_plan"));
  CHECK(util::glob_match("*", ""));
  CHECK(util::glob_match("t?nant_*", "tenant_00001"));
  CHECK(util::glob_match("public.tmp_*", "public.tmp_"));
  CHECK_FALSE(util::glob_match("deprecated_*", "xdeprecated_plan"));
  CHECK_FALSE(util::glob_match("a*b", "acbd"));
  CHECK(util::glob_match("a*b*c", "aXbYbZc"));
}

TEST_CASE("stable_hash: fixed across versions", "[unit][util]")
{
  // Fingerprints in existing history files depend on these exact values.
  CHECK(util::stable_hash("") == "cbf29ce484222325");
  CHECK(util::stable_hash("a") == "af63dc4c8601ec8c");
  CHECK(util::stable_hash("unused_index") != util::stable_hash("unused_indey"));
}

TEST_CASE("split, trim, human_bytes, line_of", "[unit][util]")
{
  CHECK(util::split(" a, b ,,c ", ',') == std::vector<std::string>{"a", "b", "c"});
  CHECK(util::trim("  x \n") == "x");
  CHECK(util::human_bytes(512) == "512 B");
  CHECK(util::human_bytes(1536) == "1.5 kB");
  CHECK(util::human_bytes(3.0 * 1024 * 1024 * 1024) == "3.0 GB");
  CHECK(util::line_of("a\nb\nc", 0) == 1);
  CHECK(util::line_of("a\nb\nc", 4) == 3);
}

TEST_CASE("sql_comment: no line break escapes the comment", "[unit][util]")
{
  CHECK(util::sql_comment("a") == "-- a");
  CHECK(util::sql_comment("x\ndrop table t;--") == "-- x\n-- drop table t;--");
  CHECK(util::sql_comment("x\r\ny\rz") == "-- x\n-- y\n-- z");
}

TEST_CASE("display_width and fit_width: columns by code point, cut with an ellipsis", "[unit][util]")
{
  CHECK(util::display_width("abc") == 3);
  CHECK(util::display_width("caf\xc3\xa9") == 4);
  CHECK(util::fit_width("public.orders", 20) == "public.orders");
  CHECK(util::fit_width("public.orders", 10) == "public....");
  CHECK(util::display_width(util::fit_width("caf\xc3\xa9_caf\xc3\xa9_caf\xc3\xa9", 6)) == 6);
  CHECK(util::fit_width("caf\xc3\xa9_caf\xc3\xa9", 7) == "caf\xc3\xa9...");
  CHECK(util::fit_width("abcdef", 2) == "..");
}
