#include "querylog/csv_record.hpp"

#include <catch2/catch.hpp>

TEST_CASE("CsvRecord: quoted fields, doubled quotes, newlines inside quotes", "[unit][querylog]")
{
  querylog::CsvRecord r;
  REQUIRE(r.add_line(R"(2026-12-02 20:15:01.123 UTC,"alice","shop",42,,"a ""quoted"", word",x)"));
  REQUIRE(r.fields().size() == 7);
  CHECK(r.fields()[1] == "alice");
  CHECK(r.fields()[4].empty());
  CHECK(r.fields()[5] == R"(a "quoted", word)");

  CHECK_FALSE(r.add_line(R"(t,"duration: 1.0 ms  statement: select a,)"));
  CHECK(r.open());
  CHECK_FALSE(r.add_line("  b"));
  REQUIRE(r.add_line(R"(from t",end)"));
  REQUIRE(r.fields().size() == 3);
  CHECK(r.fields()[1] == "duration: 1.0 ms  statement: select a,\n  b\nfrom t");
  CHECK(r.fields()[2] == "end");

  // The next line begins a new record.
  REQUIRE(r.add_line("one,two"));
  CHECK(r.fields() == std::vector<std::string>{"one", "two"});
}
