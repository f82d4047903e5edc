#include "integration/report_histories.hpp"

#include <catch2/catch.hpp>

#include <cctype>

namespace test {

std::filesystem::path
report_work_dir(const std::string& name)
{
  // ctest runs each test case in its own process, in parallel: one directory per test case, so no
  // case removes or rewrites a file another one is reading.
  std::string test_case = Catch::getResultCapture().getCurrentTestName();
  for (auto& c : test_case) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      c = '_';
    }
  }
  const auto dir = std::filesystem::path(SCHEMA_AUDIT_BUILD_DIR) / "test-output" / name / test_case;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

} // namespace test
