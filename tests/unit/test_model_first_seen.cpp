#include "model/first_seen.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <string>

TEST_CASE("first seen: added in any order, the earliest time of a fingerprint is kept: set, erase and find",
          "[unit][model]")
{
  model::FirstSeen seen;
  for (int i = 999; i >= 0; --i) {
    seen.add(fmt::format("{:016x}", i * 7919), 1000 + i);
  }
  seen.add(fmt::format("{:016x}", 7919), 50); // seen earlier in another snapshot
  seen.add(fmt::format("{:016x}", 7919), 5000);
  seen.sort();
  CHECK(seen.size() == 1000);
  CHECK(seen.find(fmt::format("{:016x}", 0)) == 1000);
  CHECK(seen.find(fmt::format("{:016x}", 7919)) == 50);
  CHECK(seen.find(fmt::format("{:016x}", 999 * 7919)) == 1999);
  CHECK_FALSE(seen.find("never seen"));

  seen.set("never seen", 7);
  seen.set(fmt::format("{:016x}", 0), 3);
  CHECK(seen.size() == 1001);
  CHECK(seen.find("never seen") == 7);
  CHECK(seen.find(fmt::format("{:016x}", 0)) == 3);

  seen.erase("never seen");
  seen.erase("not there either");
  CHECK(seen.size() == 1000);
  CHECK_FALSE(seen.find("never seen"));
  CHECK(seen.find(fmt::format("{:016x}", 999 * 7919)) == 1999);
}
