#include "util/line_diff.hpp"

#include <catch2/catch.hpp>

using Lines = std::vector<std::string>;

TEST_CASE("unified_diff: hunks with their context, as diff -u", "[unit][util]")
{
  CHECK(util::unified_diff("a\nb\n", "a\nb").empty());
  CHECK(util::unified_diff("set x;\ndrop y;", "set x;\ndrop z;") == Lines{"@@ -1,2 +1,2 @@", " set x;", "-drop y;", "+drop z;"});
  CHECK(util::unified_diff("", "vacuum t;") == Lines{"@@ -0,0 +1,1 @@", "+vacuum t;"});
  CHECK(util::unified_diff("a\nb", "a") == Lines{"@@ -1,2 +1,1 @@", " a", "-b"});
  // Changes far apart: two hunks, each with one line of context here.
  const auto diff = util::unified_diff("1\n2\n3\n4\n5\n6\n7\n8", "1\nX\n3\n4\n5\n6\nY\n8", 1);
  CHECK(diff == Lines{"@@ -1,3 +1,3 @@", " 1", "-2", "+X", " 3", "@@ -6,3 +6,3 @@", " 6", "-7", "+Y", " 8"});
  // Close together: one hunk.
  CHECK(util::unified_diff("1\n2\n3\n4", "X\n2\n3\nY", 1).front() == "@@ -1,4 +1,4 @@");
}
