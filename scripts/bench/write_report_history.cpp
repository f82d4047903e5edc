// Writes the history scripts/bench-report.sh times `schema-audit report` on: database "prod"
// with SNAPSHOTS quarterly snapshots of FINDINGS filler findings each (plus the report tests'
// own findings) and database "staging" with one, through the real store code
// (test::write_report_history, tests/integration/report_histories.cpp). Built with the tests,
// run by no test.
//
//   schema-audit-bench-history PATH [SNAPSHOTS] [FINDINGS]
#include "integration/report_histories.hpp"

#include <charconv>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

int
count_argument(const char* text, int fallback)
{
  if (!text) {
    return fallback;
  }
  int value = 0;
  const std::string_view s(text);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 0) {
    throw std::invalid_argument(std::string("not a count: ") + text);
  }
  return value;
}

} // namespace

int
main(int argc, char** argv)
{
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s PATH [SNAPSHOTS] [FINDINGS]\n", argv[0]);
    return 2;
  }
  try {
    test::write_report_history(argv[1], count_argument(argc > 2 ? argv[2] : nullptr, 40),
                               count_argument(argc > 3 ? argv[3] : nullptr, 10000));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "schema-audit-bench-history: %s\n", e.what());
    return 1;
  }
  return 0;
}
