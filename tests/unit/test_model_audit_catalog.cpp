#include "model/audit_catalog.hpp"
#include "support/temp_faults.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

namespace {

// A table and its columns, n of each table; one long attrs among them.
model::Catalog
sample(int tables)
{
  model::Catalog out;
  for (int t = 0; t < tables; ++t) {
    const auto oid = 16384 + 10 * t;
    const auto label = fmt::format("tenant_{}.orders", t);
    out.push_back({"table", oid, 0, label, "orders", model::attrs_json({{"kind", "plain"}})});
    for (int c = 1; c <= 3; ++c) {
      out.push_back({"column", oid, c, fmt::format("{}.c{}", label, c), fmt::format("c{}", c),
                     model::attrs_json({{"type", c == 3 && t == 7 ? std::string(9000, 't') : "integer"}})});
    }
    out.push_back({"index", oid + 1, 0, label + ".orders_pkey", "orders_pkey", model::attrs_json({{"keys", "1"}})});
  }
  return out;
}

void
check_holds(const model::AuditCatalog& catalog, const model::Catalog& expected)
{
  REQUIRE(catalog.size() == expected.size());
  const auto whole = catalog.whole();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(i);
    CHECK(whole[i].kind == expected[i].kind);
    CHECK(whole[i].oid == expected[i].oid);
    CHECK(whole[i].sub == expected[i].sub);
    CHECK(whole[i].label == expected[i].label);
    CHECK(whole[i].name == expected[i].name);
    CHECK(whole[i].attrs == expected[i].attrs);
    const auto found = catalog.find(expected[i].kind, expected[i].oid, expected[i].sub);
    REQUIRE(found);
    CHECK(*found == i);
    CHECK(catalog.same(i, expected[i].label, expected[i].name, expected[i].attrs));
    CHECK_FALSE(catalog.same(i, expected[i].label, expected[i].name, expected[i].attrs + " "));
    CHECK_FALSE(catalog.same(i, expected[i].label + expected[i].name, "", expected[i].attrs)); // moved between fields
  }
}

} // namespace

TEST_CASE("audit catalog: objects leave memory and come back whole, found by kind, oid and sub", "[unit][model]")
{
  const auto expected = sample(2000); // 10,000 objects: several batches of a megabyte
  model::AuditCatalog catalog(expected);
  check_holds(catalog, expected);
  CHECK_FALSE(catalog.find("column", 16384, 4));
  CHECK_FALSE(catalog.find("view", 16384, 0));
  // ordered by kind, oid, sub
  const auto& ordered = catalog.ordered();
  REQUIRE(ordered.size() == expected.size());
  CHECK(catalog.kind(ordered.front()) == "column");
  CHECK(catalog.kind(ordered.back()) == "table");
  for (std::size_t i = 1; i < ordered.size(); ++i) {
    CHECK(std::tuple(catalog.kind(ordered[i - 1]), catalog.oid(ordered[i - 1]), catalog.sub(ordered[i - 1])) <
          std::tuple(catalog.kind(ordered[i]), catalog.oid(ordered[i]), catalog.sub(ordered[i])));
  }
  const auto counts = catalog.counts();
  CHECK(counts.at("table") == 2000);
  CHECK(counts.at("column") == 6000);
  CHECK(counts.at("index") == 2000);
  CHECK(counts.at("view") == 0); // every kind, 0 included
}

TEST_CASE("audit catalog: an object replaced reads back as replaced, whether its record was written or not",
          "[unit][model]")
{
  auto expected = sample(3);
  model::AuditCatalog catalog;
  for (const auto& o : expected) {
    catalog.add(o);
  }
  // still in the buffer
  expected[4].attrs = model::attrs_json({{"definition", "USING btree (c1)"}});
  catalog.replace(4, expected[4]);
  catalog.finish();
  // written
  expected[9].attrs = model::attrs_json({{"definition", "USING btree (c1) WHERE (c2 > 0)"}});
  catalog.replace(9, expected[9]);
  catalog.finish();
  check_holds(catalog, expected);
  CHECK_THROWS(catalog.object(expected.size()));
}

TEST_CASE("audit catalog: without a usable temporary folder the objects stay in memory", "[unit][model]")
{
  const test::ScopedEnv tmpdir("TMPDIR", "/nonexistent/schema-audit-test");
  auto expected = sample(50);
  model::AuditCatalog catalog(expected);
  check_holds(catalog, expected);
  expected[4].attrs = "{}";
  catalog.replace(4, expected[4]);
  catalog.finish();
  check_holds(catalog, expected);
}

TEST_CASE("audit catalog: a file that cannot grow keeps the later objects in memory", "[unit][model]")
{
  const auto expected = sample(5000); // 1.6 MB of records: the second batch finds the file full
  model::AuditCatalog catalog;
  {
    const test::FileSizeLimit full(util::SpillFile::k_batch_bytes + 100000);
    REQUIRE(full.set());
    for (const auto& o : expected) {
      catalog.add(o);
    }
    catalog.finish();
  }
  check_holds(catalog, expected);
}

TEST_CASE("audit catalog: the largest oid is kept whole, and an oid or sub out of range is an error", "[unit][model]")
{
  const model::Catalog expected{{"table", 4294967295, 0, "s.t", "t", "{}"}, {"column", 4294967295, 32767, "s.t.c", "c", "{}"}};
  model::AuditCatalog catalog(expected);
  check_holds(catalog, expected);
  model::AuditCatalog other;
  CHECK_THROWS_WITH(other.add({"table", 4294967296, 0, "s.u", "u", "{}"}), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(other.add({"table", -1, 0, "s.u", "u", "{}"}), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(other.add({"column", 1, std::int64_t{1} << 40, "s.u.c", "c", "{}"}), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(other.add({"column", 1, 32768, "s.u.c", "c", "{}"}), Catch::Contains("out of range")); // attnum is 16 bits
}
