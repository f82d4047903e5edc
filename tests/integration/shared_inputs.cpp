// The inputs checks share (queries/inputs/, audit/shared_inputs.hpp): read once per audit,
// whatever number of checks and connections use them, and a failed input skips exactly the
// checks that declare it, with its cause.
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace test;

namespace {

// How many times the sequence `name` (in public) has been read, as the server's statistics
// count them (a select from a sequence reads its one page: one buffer hit). A backend flushes
// its counts when it exits, a moment after its client has gone: this waits until the count
// differs from `before` (if given) and then stays the same for a second.
long
sequence_reads(const ScratchDb& db, const std::string& name, std::optional<long> before = std::nullopt)
{
  const auto query = "select blks_hit + blks_read from pg_catalog.pg_statio_user_sequences where relname = '" + name + "'";
  const auto read = [&] { return std::stol(db.scalar(query).value_or("0")); };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  long count = read();
  while (before && count == *before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    count = read();
  }
  for (auto stable_since = std::chrono::steady_clock::now();
       std::chrono::steady_clock::now() - stable_since < std::chrono::seconds(1);) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (const long now = read(); now != count) {
      count = now;
      stable_since = std::chrono::steady_clock::now();
    }
  }
  return count;
}

} // namespace

TEST_CASE("shared inputs: each sequence is read once per audit by the three checks that need its value",
          "[integration][shared_inputs]")
{
  ScratchDb db;
  // An int4 serial key near its limit feeds all three: int_overflow (whose own finding it
  // leaves to sequence_overflow), sequence_overflow and metrics_sequences.
  db.exec_with_stats(R"(
    create table orders(id serial primary key, total numeric);
    select setval('orders_id_seq', 2000000000);
  )");
  const long before = sequence_reads(db, "orders_id_seq");

  const auto result = db.audit({"int_overflow", "sequence_overflow", "metrics_sequences"});

  CHECK(result.skipped.empty());
  CHECK(has_finding(result, "sequence_overflow", "public.orders_id_seq"));
  const auto last_value = std::find_if(result.metrics.begin(), result.metrics.end(), [](const model::Metric& m) {
    return m.object == "public.orders_id_seq" && m.metric == "last_value";
  });
  REQUIRE(last_value != result.metrics.end());
  CHECK(last_value->value == 2000000000);
  // sequence_values, partition_roots for grouping the findings, and the catalog for the history
  REQUIRE(result.input_timings.size() == 3);
  CHECK(result.input_timings[0].check_id == "sequence_values");
  CHECK(result.input_timings[1].check_id == "partition_roots");
  CHECK(result.input_timings[2].check_id == "catalog");
  REQUIRE(result.catalog);
  const auto catalog = result.catalog->whole();
  CHECK(std::any_of(catalog.begin(), catalog.end(), [](const model::CatalogObject& o) {
    return o.kind == "sequence" && o.label == "public.orders_id_seq" && model::attributes_of(o)["owned_by"] == "public.orders.id";
  }));
  // Read by each check, as before the input, it was 3.
  CHECK(sequence_reads(db, "orders_id_seq", before) - before == 1);
}

TEST_CASE("shared inputs: a failed input skips the checks that declare it, with its cause, and no other",
          "[integration][shared_inputs]")
{
  ScratchDb db;
  db.exec("create table orders(id serial primary key); select setval('orders_id_seq', 2000000000);");
  const auto dir = std::filesystem::temp_directory_path() / ("schema-audit-inputs-" + db.name());
  std::filesystem::create_directories(dir / "inputs");
  std::ofstream(dir / "inputs" / "sequence_values.sql")
    << "-- id: sequence_values\n-- kind: input\n--\nselect 0::oid as seqrelid, 1 / 0 as last_value\n";
  const auto registry = audit::Registry::load(dir);
  std::filesystem::remove_all(dir);

  audit::AuditOptions options;
  options.conninfo = db.conninfo();
  options.jobs = 2;
  options.only_checks = {"int_overflow", "sequence_overflow", "metrics_sequences", "no_primary_key"};
  const auto result = audit::run_audit(registry, audit::default_config(), options);

  REQUIRE(result.skipped.size() == 3);
  for (const auto& skipped : result.skipped) {
    INFO(skipped.check_id << ": " << skipped.reason);
    CHECK_THAT(skipped.reason, Catch::StartsWith("its input sequence_values failed: ") && Catch::Contains("division by zero"));
    CHECK(skipped.cause == model::SkipCause::error);
  }
  // only the catalog, read after the checks
  REQUIRE(result.input_timings.size() == 1);
  CHECK(result.input_timings[0].check_id == "catalog");
  CHECK(result.timings.size() == 1); // no_primary_key ran
}
