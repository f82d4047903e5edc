#include "util/spill_file.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// The values of record `n`: a short name, and a body whose length varies with n (some records
// longer than a read window).
std::vector<std::string>
values_of(int n)
{
  // longer than a window; longer than the read of a record out of order (4 KB); short
  const auto length = n % 97 == 0   ? util::SpillFile::k_window_bytes + 1000 + static_cast<std::size_t>(n)
                      : n % 13 == 0 ? std::size_t{4000} + static_cast<std::size_t>(n % 300)
                                    : static_cast<std::size_t>(n % 700);
  return {fmt::format("record {}", n), std::string(length, static_cast<char>('a' + n % 26))};
}

// Appends records first..last-1, `per_write` to a write; where each starts.
std::vector<std::int64_t>
append_records(util::SpillFile& file, int first, int last, int per_write)
{
  std::vector<std::int64_t> at;
  std::string buffer;
  std::vector<std::size_t> starts;
  const auto flush = [&] {
    const auto written = file.append(buffer);
    REQUIRE(written >= 0);
    for (const auto start : starts) {
      at.push_back(written + static_cast<std::int64_t>(start));
    }
    buffer.clear();
    starts.clear();
  };
  for (int n = first; n < last; ++n) {
    starts.push_back(buffer.size());
    const auto values = values_of(n);
    util::SpillFile::add_record(buffer, {values[0], values[1]});
    if (static_cast<int>(starts.size()) == per_write) {
      flush();
    }
  }
  if (!starts.empty()) {
    flush();
  }
  return at;
}

} // namespace

TEST_CASE("spill file: records read back in passes, interleaved, at random and past a window", "[unit][util]")
{
  util::SpillFile file("test", "the test's records");
  const int count = 3000;
  const auto at = append_records(file, 0, count, 50);
  REQUIRE(at.size() == static_cast<std::size_t>(count));

  SECTION("in the order written") {
    for (int n = 0; n < count; ++n) {
      REQUIRE(file.record_at(at[static_cast<std::size_t>(n)]) == values_of(n));
    }
  }
  SECTION("three passes interleaved, one of them backwards") {
    for (int n = 0; n < count; ++n) {
      const auto m = count - 1 - n;
      const auto k = (n * 7) % count;
      REQUIRE(file.record_at(at[static_cast<std::size_t>(n)]) == values_of(n));
      REQUIRE(file.record_at(at[static_cast<std::size_t>(m)]) == values_of(m));
      REQUIRE(file.record_at(at[static_cast<std::size_t>(k)]) == values_of(k));
    }
  }
  SECTION("at random, from several threads") {
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (std::size_t t = 0; t < wrong.size(); ++t) {
      threads.emplace_back([&, t] {
        std::mt19937 random(static_cast<std::uint32_t>(t));
        for (int i = 0; i < 2000; ++i) {
          const auto n = static_cast<int>(random() % count);
          wrong[t] += file.record_at(at[static_cast<std::size_t>(n)]) != values_of(n);
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(wrong == std::vector<int>(4, 0));
  }
}

TEST_CASE("spill file: a record written after a window was read near the file's end reads whole", "[unit][util]")
{
  util::SpillFile file("test", "the test's records");
  // Each record read as soon as it is written: its window ends at the file's end, and the next
  // record starts inside that window but is not in it.
  for (int n = 0; n < 500; ++n) {
    const auto at = append_records(file, n, n + 1, 1);
    REQUIRE(file.record_at(at.at(0)) == values_of(n));
  }
}
