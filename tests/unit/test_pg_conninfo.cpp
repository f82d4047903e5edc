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
