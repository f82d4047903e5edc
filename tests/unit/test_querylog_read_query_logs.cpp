#include "querylog/read_query_logs.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

namespace {

const char* const k_stderr_log =
  "2026-11-01 10:00:00.000 UTC [7] LOG:  database system is ready to accept connections\n"
  "2026-11-01 10:00:01.000 UTC [42] app@shop LOG:  duration: 1.500 ms  statement: select id\n"
  "\t  from orders\n"
  "\t where customer_id = 7\n"
  "2026-11-01 10:00:02.000 UTC [42] app@shop LOG:  duration: 2.500 ms  execute S_1: select id from orders where customer_id = $1\n"
  "2026-11-01 10:00:02.000 UTC [42] app@shop DETAIL:  parameters: $1 = '8'\n"
  "not a log line at all\n"
  "2026-11-02 10:00:01.000 UTC [43] app@crm LOG:  duration: 1.000 ms  statement: select 1 from leads\n";

struct TempDir
{
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("sa-querylog-" + std::to_string(std::random_device{}()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST_CASE("read_query_logs: a plain and a gzipped stderr log through a glob", "[unit][querylog]")
{
  TempDir dir;
  std::ofstream(dir.path / "a.log") << k_stderr_log;
  const auto gz_path = (dir.path / "b.log.gz").string();
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  REQUIRE(gz);
  gzputs(gz, k_stderr_log);
  gzclose(gz);

  const auto log = querylog::read_query_logs({{(dir.path / "*.log*").string()}, std::nullopt});
  REQUIRE(log.files.size() == 2);
  CHECK(log.files[0].second == "stderr (log_line_prefix '%m [%p] %q%u@%d ')");
  CHECK(log.lines == 16);
  CHECK(log.unparsed_lines == 2);
  CHECK(log.executions == 6);
  CHECK(log.first_timestamp == "2026-11-01 10:00:00.000 UTC");
  CHECK(log.last_timestamp == "2026-11-02 10:00:01.000 UTC");
  REQUIRE(log.statements_of("shop").size() == 1);
  const auto& orders = *log.statements_of("shop")[0];
  CHECK(orders.calls == 4);
  CHECK(orders.total_ms == Approx(8.0));
  CHECK(log.statements_of("crm").size() == 1);
}

TEST_CASE("read_query_logs: a missing file or an empty glob is one clear error", "[unit][querylog]")
{
  TempDir dir;
  const auto missing = (dir.path / "nope.log").string();
  CHECK_THROWS_WITH(querylog::read_query_logs({{missing}, std::nullopt}),
                    "query log " + missing + ": no such file or directory; give the server's log file (a path or a glob)");
  CHECK_THROWS_WITH(querylog::read_query_logs({{(dir.path / "*.csv").string()}, std::nullopt}),
                    Catch::Contains("no file matches this pattern"));
}
