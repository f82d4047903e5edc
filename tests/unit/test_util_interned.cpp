#include "util/interned.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

TEST_CASE("Interned: equal texts share one copy and read as strings", "[unit][util]")
{
  const std::string built = std::string("fk_without_") + "index";
  const util::Interned a = "fk_without_index";
  const util::Interned b = built;
  CHECK(a == b);
  CHECK(a.str().data() == b.str().data()); // one copy, not two equal ones
  CHECK(a == "fk_without_index");
  CHECK(a == built);
  CHECK("fk_without_index" == a);
  CHECK(a != "unused_index");
  CHECK(a.size() == 16);
  CHECK(a.starts_with("fk_"));
  CHECK(fmt::format("[{:>18}]", a) == "[  fk_without_index]");
  const std::string copy = a;
  CHECK(copy == built);
  const std::string_view view = a;
  CHECK(view == "fk_without_index");
}

TEST_CASE("Interned: the empty text, assignment, clear and order", "[unit][util]")
{
  util::Interned empty;
  CHECK(empty.empty());
  CHECK(empty == "");
  CHECK(empty == util::Interned(std::string()));
  util::Interned v = "medium";
  v = std::string_view("high");
  CHECK(v == "high");
  v.clear();
  CHECK(v.empty());
  std::vector<util::Interned> ids{"unused_index", "bloat", "fk_without_index"};
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<util::Interned>{"bloat", "fk_without_index", "unused_index"});
  CHECK(util::Interned("a") < util::Interned("b"));
  CHECK(util::Interned("b") > "a");
}

TEST_CASE("Interned: threads interning the same texts get the same copies", "[unit][util]")
{
  constexpr int k_threads = 4;
  std::vector<std::vector<const char*>> seen(k_threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([t, &seen] {
      for (int i = 0; i < 2000; ++i) {
        const util::Interned text = fmt::format("tenant_{:05}", i);
        seen[t].push_back(text.c_str());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int t = 1; t < k_threads; ++t) {
    CHECK(seen[t] == seen[0]);
  }
  CHECK(std::set<const char*>(seen[0].begin(), seen[0].end()).size() == 2000);
}
