#include "model/metrics.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

TEST_CASE("metric list: metrics read back as added, objects kept once per run of metrics", "[unit][model]")
{
  std::vector<model::Metric> expected;
  for (int t = 0; t < 300; ++t) {
    for (const char* metric : {"n_live_tup", "seq_scan", "idx_scan"}) {
      expected.push_back({"table", fmt::format("tenant_{}.orders", t), metric, t * 1.5});
    }
    expected.push_back({"index", fmt::format("tenant_{}.orders", t), "idx_scan", 7}); // same name, other type
  }
  expected.push_back({"database", "", "size_bytes", 1e15}); // an empty name
  expected.push_back({"table", "tenant_0.orders", "n_live_tup", -1}); // an object seen before, again
  model::MetricList list;
  for (const auto& m : expected) {
    list.push_back(m);
  }
  REQUIRE(list.size() == expected.size());
  std::size_t i = 0;
  for (const auto& m : list) {
    INFO(i);
    CHECK(m.object_type == expected[i].object_type);
    CHECK(m.object == expected[i].object);
    CHECK(m.metric == expected[i].metric);
    CHECK(m.value == expected[i].value);
    ++i;
  }
  CHECK(i == expected.size());
  const auto found = std::find_if(list.begin(), list.end(), [](const model::Metric& m) { return m.value == 1e15; });
  REQUIRE(found != list.end());
  CHECK(found->object_type == "database");

  model::MetricList more{{"replica", "standby", "stats_since", 1}};
  more.append(list);
  CHECK(more.size() == list.size() + 1);
  CHECK(more[1].object == "tenant_0.orders");
  CHECK(more.object(more.size() - 1) == "tenant_0.orders");
  more.clear();
  CHECK(more.empty());
}

TEST_CASE("metric list: lists appended after reserving for all of them read back in order", "[unit][model]")
{
  std::vector<model::MetricList> checks(3);
  std::vector<model::Metric> expected;
  for (int c = 0; c < 3; ++c) {
    for (int t = 0; t < 50; ++t) {
      model::Metric m{c == 1 ? "index" : "table", fmt::format("tenant_{}.t{}", t, c), "seq_scan", c * 100.0 + t};
      checks[c].push_back(m);
      expected.push_back(m);
    }
  }
  model::MetricList::Footprint total;
  for (const auto& list : checks) {
    total += list.footprint();
  }
  CHECK(total.metrics == 150);
  CHECK(total.objects == 150);
  model::MetricList all;
  all.reserve(total);
  for (auto& list : checks) {
    all.append(list);
    list.clear();
  }
  const auto footprint = all.footprint();
  CHECK(footprint.metrics == total.metrics);
  CHECK(footprint.objects == total.objects);
  CHECK(footprint.text == total.text);
  REQUIRE(all.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(all[i].object == expected[i].object);
    CHECK(all[i].object_type == expected[i].object_type);
    CHECK(all[i].value == expected[i].value);
  }
}

TEST_CASE("metric values: looked up by object type, object and metric, the later value of one wins", "[unit][model]")
{
  model::MetricValues values;
  for (int t = 0; t < 1000; ++t) {
    values.add("table", fmt::format("s.t{}", t), "seq_scan", t);
  }
  values.add("table", "s.t5", "seq_scan", 55); // again, later
  values.sort();
  CHECK(values.size() == 1000);
  CHECK(values.find("table", "s.t5", "seq_scan") == 55.0);
  CHECK(values.find("table", "s.t999", "seq_scan") == 999.0);
  CHECK_FALSE(values.find("index", "s.t5", "seq_scan"));
  CHECK_FALSE(values.find("table", "s.t5", "idx_scan"));
  CHECK_FALSE(values.find("table", "s.t", "5seq_scan")); // the parts are kept apart
  values.set("index", "s.t5", "idx_scan", 3);
  values.set("table", "s.t6", "seq_scan", 66);
  CHECK(values.find("index", "s.t5", "idx_scan") == 3.0);
  CHECK(values.find("table", "s.t6", "seq_scan") == 66.0);
  CHECK(values.size() == 1001);
}
