#include "querylog/line_prefix.hpp"
#include "querylog/timestamp.hpp"

#include <catch2/catch.hpp>

using querylog::LinePrefix;

TEST_CASE("LinePrefix: the default and Debian's forms, with %q", "[unit][querylog]")
{
  const LinePrefix debian("%m [%p] %q%u@%d ");
  const auto session = debian.match("2026-12-02 20:15:01.123 UTC [4242] alice@shop LOG:  duration: 0.1 ms  statement: select 1");
  REQUIRE(session);
  CHECK(session->timestamp == "2026-12-02 20:15:01.123 UTC");
  REQUIRE(session->database);
  CHECK(*session->database == "shop");
  CHECK(std::string_view("2026-12-02 20:15:01.123 UTC [4242] alice@shop LOG:  x").substr(session->end, 4) == "LOG:");
  // A process without a session: the prefix ends at %q.
  const auto background = debian.match("2026-12-02 20:15:01.123 UTC [17] LOG:  checkpoint starting: time");
  REQUIRE(background);
  CHECK(background->database->empty());
  CHECK_FALSE(debian.match("garbage line"));
  CHECK_FALSE(debian.match("2026-12-02 20:15:01.123 UTC [4242] alice@shop nolevel here"));
}

TEST_CASE("LinePrefix: pgBadger's form, %t, %l and padding", "[unit][querylog]")
{
  const LinePrefix badger("%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
  const auto m = badger.match("2026-12-02 20:15:01 UTC [4242]: [3-1] user=bob,db=crm,app=psql,client=[local] LOG:  statement: select 1");
  REQUIRE(m);
  CHECK(m->timestamp == "2026-12-02 20:15:01 UTC");
  CHECK(*m->database == "crm");
  const LinePrefix padded("%m %-10u %d: ");
  const auto p = padded.match("2026-12-02 20:15:01.5 CET bob crm: ERROR:  boom");
  REQUIRE(p);
  CHECK(*p->database == "crm");
  const LinePrefix epoch("%n [%p] ");
  const auto e = epoch.match("1764706501.123 [9] LOG:  statement: select 1");
  REQUIRE(e);
  CHECK_FALSE(e->database);
  CHECK(querylog::timestamp_epoch(e->timestamp).value() == Approx(1764706501.123));
}

TEST_CASE("detect_prefix: the common form that fits most lines", "[unit][querylog]")
{
  const std::vector<std::string> lines = {
    "2026-12-02 20:15:01.123 UTC [17] LOG:  database system is ready to accept connections",
    "2026-12-02 20:15:02.000 UTC [4242] alice@shop LOG:  duration: 0.050 ms  statement: select 1",
    "\tfrom t",
    "2026-12-02 20:15:02.100 UTC [4242] alice@shop LOG:  duration: 0.050 ms  execute <unnamed>: select $1",
    "2026-12-02 20:15:02.100 UTC [4242] alice@shop DETAIL:  parameters: $1 = '5'",
    "this line is garbage",
  };
  const auto prefix = querylog::detect_prefix(lines);
  REQUIRE(prefix);
  CHECK(prefix->setting() == "%m [%p] %q%u@%d ");
  CHECK_FALSE(querylog::detect_prefix({"garbage", "more garbage", "2026-12-02 nothing"}));
}

TEST_CASE("timestamps: %m, %t, a numeric zone, epoch seconds", "[unit][querylog]")
{
  CHECK(querylog::timestamp_length("2026-12-02 20:15:01.123 UTC [1]") == 27);
  CHECK(querylog::timestamp_length("2026-12-02 20:15:01 +03 [1]") == 23);
  CHECK(querylog::timestamp_length("2026-12-02 20:15:01 [1]") == 19);
  CHECK(querylog::timestamp_length("x2026-12-02") == 0);
  const auto a = querylog::timestamp_epoch("2026-12-02 20:15:01.250 UTC").value();
  const auto b = querylog::timestamp_epoch("2026-12-03 20:15:01 UTC").value();
  CHECK(b - a == Approx(86399.75));
  CHECK(querylog::timestamp_epoch("1970-01-02 00:00:00").value() == Approx(86400));
}
