// Inputs found by scripts/fuzz.sh, and the hostile shapes it was seeded to look for: each must
// end in the documented util::Fatal (config for config and query files, history for history
// files), never a crash, a hang or another exception.
#include "model/check.hpp"
#include "audit/config.hpp"
#include "store/history_store.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace {

// The exit code `f` throws with, or ok when it returns.
template<typename F>
util::ExitCode
exit_code_of(F&& f)
{
  try {
    f();
  } catch (const util::Fatal& e) {
    return e.code();
  }
  return util::ExitCode::ok;
}

util::ExitCode
config_code(const std::string& text)
{
  return exit_code_of([&] { (void)audit::parse_config(text, "fuzz.toml"); });
}

util::ExitCode
check_code(const std::string& text)
{
  return exit_code_of([&] { (void)model::parse_check("fuzz.sql", text); });
}

util::ExitCode
history_code(const std::string& bytes)
{
  std::random_device rd;
  const auto path = std::filesystem::temp_directory_path() / ("sa-fuzz-regression-" + std::to_string(rd()) + ".db");
  std::ofstream(path, std::ios::binary) << bytes;
  const auto code = exit_code_of([&] {
    const auto history = store::open_history_file(path, model::HistoryStore::Mode::read_only);
    for (const auto& info : history->list()) {
      (void)history->load(info.id);
    }
  });
  for (const auto* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  return code;
}

} // namespace

TEST_CASE("fuzz regressions: config loader", "[unit][fuzz]")
{
  using util::ExitCode;
  CHECK(config_code(std::string("\0\0\0", 3)) == ExitCode::config);
  CHECK(config_code("a = " + std::string(5000, '[')) == ExitCode::config);     // nesting
  CHECK(config_code("[" + std::string(5000, 'a') + ".") == ExitCode::config);
  CHECK(config_code("[checks.x]\ny = [[1]]") == ExitCode::config);              // array of arrays as a param
  CHECK(config_code("[checks.x]\ny = {a = 1}") == ExitCode::config);            // inline table as a param
  CHECK(config_code("[checks.x]\ny = 1979-05-27T07:32:00Z") == ExitCode::config);
  CHECK(config_code("[[suppress]]") == ExitCode::config);
  CHECK(config_code("[[suppress]]\nobject = \"x\"\nreason = \"r\"\nexpires = 1979-05-27T07:32:00") == ExitCode::config);
  CHECK(config_code("[audit]\njobs = 9223372036854775807") == ExitCode::config);
  CHECK(config_code("[audit]\njobs = -9223372036854775808") == ExitCode::config);
  CHECK(config_code("[audit]\nstats_min_age_days = nan") == ExitCode::config);
  CHECK(config_code("[[targets]]\nname = \"a\"\ndb = 5") == ExitCode::config);
  CHECK(config_code("targets = [1, 2]") == ExitCode::config);
  CHECK(config_code("[checks.x]\nratio = inf\nlist = [\"a\\\"b\", \"\\\\\"]") == ExitCode::ok);
}

TEST_CASE("fuzz regressions: query-file header parser", "[unit][fuzz]")
{
  using util::ExitCode;
  CHECK(check_code("") == ExitCode::config);
  CHECK(check_code("--") == ExitCode::config);
  CHECK(check_code("--   a continuation before any key\n-- id: x\n-- category: x\nselect 1") == ExitCode::ok);
  CHECK(check_code("-- id:\n-- category: x\nselect 1") == ExitCode::config);
  CHECK(check_code("-- id: x\n-- category: x\n-- params: =\nselect 1") == ExitCode::config);
  CHECK(check_code("-- id: x\n-- category: x\n-- params: a\nselect 1") == ExitCode::config);
  CHECK(check_code("-- id: x\n-- category: x\n-- min_server: -13\nselect 1") == ExitCode::config);
  CHECK(check_code("-- id: x\r\n-- category: x\r\n--\r\nselect 1\r\n") == ExitCode::ok);
  CHECK(check_code(std::string("-- id: x\0\n-- category: x\nselect 1", 33)) == ExitCode::config);
  CHECK(check_code("-- id: x\n-- category: x\n-- needs: ,,,\nselect 1") == ExitCode::ok);
  CHECK(check_code("-- id: x\n-- category: x\n" + std::string(100000, '-')) == ExitCode::config);
  CHECK(model::split_query_file_name(".pg.sql").first == ".pg");
  CHECK(model::split_query_file_name("x.pg99999999999999999999.sql").second == 0);
  CHECK(model::split_query_file_name("").first.empty());
}

TEST_CASE("fuzz regressions: history reader", "[unit][fuzz]")
{
  using util::ExitCode;
  CHECK(history_code("SQLite format 3") == ExitCode::history);
  CHECK(history_code(std::string("SQLite format 3\0", 16) + std::string(84, '\xff')) == ExitCode::history);
  std::string header(100, '\0');
  header.replace(0, 16, std::string("SQLite format 3\0", 16));
  CHECK(history_code(header + std::string(4000, '\0')) == ExitCode::history);
  CHECK(history_code("not a database at all") == ExitCode::history);
}
