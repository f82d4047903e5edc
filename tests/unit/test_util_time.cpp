#include "util/time.hpp"

#include <catch2/catch.hpp>

TEST_CASE("parse_iso: dates, times, offsets", "[unit][util]")
{
  CHECK(util::parse_iso("1970-01-01") == 0);
  CHECK(util::parse_iso("2026-03-31T09:00:00Z") == util::parse_iso("2026-03-31 09:00:00"));
  CHECK(util::parse_iso("2026-03-31T10:00:00+01:00") == util::parse_iso("2026-03-31T09:00Z"));
  CHECK(util::format_iso(*util::parse_iso("2026-11-25T11:42:57Z")) == "2026-11-25T11:42:57Z");
  CHECK_FALSE(util::parse_iso("last tuesday"));
  CHECK_FALSE(util::parse_iso("2026-13-01"));
  CHECK_FALSE(util::parse_iso("2026-01-01T25:00"));
  CHECK_FALSE(util::parse_iso("2026-01-01T10:00:00Zjunk"));
}

TEST_CASE("parse_iso: impossible dates are refused, not rolled over", "[unit][util]")
{
  CHECK_FALSE(util::parse_iso("2026-02-31"));
  CHECK_FALSE(util::parse_iso("2026-02-29"));
  CHECK_FALSE(util::parse_iso("2026-04-31T00:00Z"));
  CHECK_FALSE(util::parse_iso("2100-02-29"));
  CHECK(util::parse_iso("2028-02-29") == util::parse_iso("2028-03-01").value() - 86400);
  CHECK(util::parse_iso("2000-02-29"));
  CHECK(util::parse_iso("2026-12-31"));
}
