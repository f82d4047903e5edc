#include "pg/conninfo.hpp"

#include <catch2/catch.hpp>

TEST_CASE("conninfo_target: where a connection string points, without its password", "[unit][pg]")
{
  const auto keywords = pg::conninfo_target("host=replica1 port=5433 dbname=app user=auditor password=s3cret");
  CHECK(keywords.host == "replica1");
  CHECK(keywords.port == "5433");
  CHECK(keywords.dbname == "app");
  CHECK(keywords.user == "auditor");
  CHECK(keywords.display().find("s3cret") == std::string::npos);
  const auto url = pg::conninfo_target("postgresql://auditor:s3cret@replica2:6432/app");
  CHECK(url.host == "replica2");
  CHECK(url.port == "6432");
  CHECK(url.dbname == "app");
  CHECK(url.display() == "database \"app\" on replica2:6432");
}

TEST_CASE("compose_conninfo: psql's -d, -h, -p and -U as one connection string", "[unit][pg]")
{
  // A bare name is a database name; the others are added as quoted keywords.
  const auto composed = pg::compose_conninfo({"it's\\db", std::string("/tmp/sock dir"), std::string("5433"), std::string("o'brien")});
  CHECK(composed == R"(dbname='it\'s\\db' host='/tmp/sock dir' port='5433' user='o\'brien')");
  const auto target = pg::conninfo_target(composed);
  CHECK(target.dbname == "it's\\db");
  CHECK(target.host == "/tmp/sock dir");
  CHECK(target.user == "o'brien");
  // A keyword string keeps its keywords; the later ones win in libpq.
  CHECK(pg::compose_conninfo({"dbname=app sslmode=require", std::string("db1"), {}, {}}) ==
        "dbname=app sslmode=require host='db1'");
  CHECK(pg::compose_conninfo({"", {}, std::string("6543"), {}}) == "port='6543'");
  CHECK(pg::compose_conninfo({"postgresql://db1/app", {}, {}, {}}) == "postgresql://db1/app");
  CHECK_THROWS(pg::compose_conninfo({"postgresql://db1/app", {}, std::string("5433"), {}}));
}
