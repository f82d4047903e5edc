#include "model/fingerprint_ages.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <string>

TEST_CASE("fingerprint ages: added in any order, a fingerprint keeps its earliest time and the sum of its snapshots: "
          "set, erase and find",
          "[unit][model]")
{
  model::FingerprintAges ages;
  for (int i = 999; i >= 0; --i) {
    ages.add(fmt::format("{:016x}", i * 7919), {1000 + i, 1});
  }
  ages.add(fmt::format("{:016x}", 7919), {50, 2}); // seen earlier, in two other snapshots
  ages.add(fmt::format("{:016x}", 7919), {5000, 1});
  ages.sort();
  CHECK(ages.size() == 1000);
  CHECK(ages.find(fmt::format("{:016x}", 0))->first_seen == 1000);
  CHECK(ages.find(fmt::format("{:016x}", 0))->snapshots == 1);
  CHECK(ages.find(fmt::format("{:016x}", 7919))->first_seen == 50);
  CHECK(ages.find(fmt::format("{:016x}", 7919))->snapshots == 4);
  CHECK(ages.find(fmt::format("{:016x}", 999 * 7919))->first_seen == 1999);
  CHECK_FALSE(ages.find("never seen"));

  ages.set("never seen", 7);
  ages.set(fmt::format("{:016x}", 0), 3);
  CHECK(ages.size() == 1001);
  CHECK(ages.find("never seen")->first_seen == 7);
  CHECK(ages.find("never seen")->snapshots == 0);
  CHECK(ages.find(fmt::format("{:016x}", 0))->first_seen == 3);
  CHECK(ages.find(fmt::format("{:016x}", 0))->snapshots == 1);

  ages.erase("never seen");
  ages.erase("not there either");
  CHECK(ages.size() == 1000);
  CHECK_FALSE(ages.find("never seen"));
  CHECK(ages.find(fmt::format("{:016x}", 999 * 7919))->first_seen == 1999);
}
