#include "audit/checks/usage_history.hpp"
#include "support/previous_snapshot.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"
#include "util/time.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <thread>

using namespace test;

namespace {

// orders with a never-scanned index, a scanned one, a unique one, a non-unique twin of the
// unique one and a pair of non-unique twins.
void
plant_orders(const ScratchDb& db, const std::string& schema)
{
  db.plant(schema, R"(
    create table $s.orders(id int primary key, customer_id int, code text, status int, region int);
    insert into $s.orders select g, g % 100, 'c' || g, g % 5, g % 7 from generate_series(1, 2000) g;
    create index orders_status_idx on $s.orders(status);
    create index orders_customer_idx on $s.orders(customer_id);
    create unique index orders_code_key on $s.orders(code);
    create index orders_code_idx on $s.orders(code);
    create index orders_region_a on $s.orders(region, status);
    create index orders_region_b on $s.orders(region, status);
    -- control: never scanned, but a delete on orders looks its lines up through it
    create table $s.order_lines(id int primary key, order_id int references $s.orders, sku text);
    create index order_lines_order_id_idx on $s.order_lines(order_id);
    analyze $s.orders;
  )");
}

// Runs `count` index scans of orders where `predicate`, and flushes the statistics.
void
scan_index(const ScratchDb& db, const std::string& schema, const std::string& predicate, int count)
{
  std::string sql = "set enable_seqscan = off; set enable_bitmapscan = off;";
  for (int i = 0; i < count; ++i) {
    sql += " select count(*) from $s.orders where " + predicate + ";";
  }
  db.exec_with_stats(with_schema(schema, sql));
}

// The previous audit: one that counted every index and table of `db`, stamped `days` ago.
model::PreviousSnapshot
counted_days_ago(const ScratchDb& db, int days)
{
  auto previous = previous_from(db.audit({"metrics_indexes", "metrics_tables"}));
  previous.taken_at -= days * k_day_seconds;
  return previous;
}

} // namespace

TEST_CASE("unused_index: flags a never-scanned index, not a scanned, unique or twin one", "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  scan_index(db, schema, "customer_id = 1", 1);

  const auto result = db.audit({"unused_index", "duplicate_index"}, trusting_config());
  const auto& f = finding(result, "unused_index", ident(schema) + ".orders_status_idx");
  CHECK(f.category == "unused_index");
  CHECK(f.severity == model::Severity::low); // small
  CHECK(f.message.find("has not been scanned since statistics began") != std::string::npos);
  CHECK(f.evidence.at("idx_scan") == 0);
  CHECK(f.evidence.at("size_bytes").get<std::int64_t>() > 0);
  CHECK(f.evidence.at("trustworthy") == true);
  CHECK(f.confidence == "high"); // orders is read; no standby streams from the test cluster
  CHECK(f.evidence.at("confidence_basis").empty());
  // What the verdict rests on, as the report shows it: this server's counters and their window.
  REQUIRE(f.evidence.at("rests_on").size() == 1);
  // (no previous snapshot: the counters' lifetime, since the statistics began; Formbricks and Kong
  // read "over an unknown period" beside the evidence's stats_since)
  CHECK(f.evidence.at("rests_on")[0] == "index scans (pg_stat_user_indexes) since the statistics began (" +
                                          f.evidence.at("stats_since").get<std::string>() + ", " +
                                          std::to_string(f.evidence.at("stats_age_days").get<long>()) + " day(s) ago)");
  CHECK(f.evidence.at("table_reads").get<std::int64_t>() >= 1);
  CHECK(f.remediation.find("-- to recreate it: CREATE INDEX orders_status_idx ON " + ident(schema) + ".orders USING btree (status);")
        != std::string::npos);
  // Dropped inside a guard that keeps it if it was scanned since the audit; the undo recreates it.
  CHECK(f.remediation.find("s.indexrelid = pg_catalog.to_regclass('" + ident(schema) + ".orders_status_idx') and s.idx_scan > 0) then")
        != std::string::npos);
  CHECK(f.remediation.find("  drop index if exists " + ident(schema) + ".orders_status_idx;\nend $$;") != std::string::npos);
  // (the undo drops an invalid leftover of a cancelled build first: guard_index_rebuilds)
  CHECK(f.undo.starts_with("set lock_timeout = '5s';\n-- a cancelled build leaves the index invalid"));
  CHECK(f.undo.ends_with("\ncreate index concurrently if not exists orders_status_idx ON " + ident(schema) +
                     ".orders USING btree (status);"));

  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".orders_customer_idx")); // scanned
  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".orders_code_key"));     // unique
  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".orders_pkey"));         // primary key
  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".order_lines_order_id_idx")); // supports a foreign key
  // Twins are reported as a duplicate pair, never as unused.
  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".orders_code_idx"));
  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".orders_region_a"));
  CHECK_FALSE(has_finding(result, "unused_index", ident(schema) + ".orders_region_b"));
  CHECK(has_finding(result, "duplicate_index", ident(schema) + ".orders_code_idx"));
  CHECK(has_finding(result, "duplicate_index", ident(schema) + ".orders_region_b"));
  CHECK(findings_of(result, "unused_index").size() == 1);
}

TEST_CASE("unused_index: severity follows size, and young statistics make it info", "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);

  auto config = trusting_config();
  config.checks["unused_index"].params["min_size_bytes"] = "1";
  CHECK(finding(db.audit({"unused_index"}, config), "unused_index", ident(schema) + ".orders_status_idx").severity
        == model::Severity::medium);
  config.checks["unused_index"].params["high_size_bytes"] = "1";
  CHECK(finding(db.audit({"unused_index"}, config), "unused_index", ident(schema) + ".orders_status_idx").severity
        == model::Severity::high);

  // The table's write rate: a small index on a table that takes many writes a day is medium.
  db.exec_with_stats(with_schema(schema, "insert into $s.orders select g, 0, 'w' || g, 0, 0 from generate_series(2001, 2010) g"));
  config = trusting_config();
  config.checks["unused_index"].params["busy_writes_per_day"] = "1";
  const auto busy = finding(db.audit({"unused_index"}, config), "unused_index", ident(schema) + ".orders_status_idx");
  CHECK(busy.severity == model::Severity::medium);
  CHECK(busy.evidence.at("index_writes").get<std::int64_t>() >= 10);
  CHECK(busy.evidence.at("index_writes_per_day").is_null()); // under a day of counters: no rate
  // statistics seconds old: the writes counted, no rate made up from them
  CHECK(busy.message.find(" writes since its statistics started, under a day ago); drop it (the remediation keeps its "
                          "definition, and drops it only if it was not scanned since the audit)") != std::string::npos);
  CHECK(busy.message.find("writes a day") == std::string::npos);
  config.checks["unused_index"].params["busy_writes_per_day"] = "1000000000";
  CHECK(finding(db.audit({"unused_index"}, config), "unused_index", ident(schema) + ".orders_status_idx").severity
        == model::Severity::low);

  // The test cluster started seconds ago: its statistics are younger than the default 30 days.
  const auto young = db.audit({"unused_index"});
  const auto& f = finding(young, "unused_index", ident(schema) + ".orders_status_idx");
  CHECK(f.severity == model::Severity::info);
  CHECK(f.message.find("usage is not yet trustworthy: statistics are only 0 day(s) old, fewer than "
                       "stats_min_age_days (30)") != std::string::npos);
  CHECK(f.evidence.at("trustworthy") == false);
  CHECK(f.evidence.at("stats_age_days") == 0);
}

TEST_CASE("unused_index: with history, judges the scans since the previous audit", "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  scan_index(db, schema, "customer_id = 1", 1);
  scan_index(db, schema, "code = 'c1'", 1);

  // The first audit records idx_scan of every index; ten days pass.
  auto previous = previous_from(db.audit({"metrics_indexes"}));
  previous.taken_at -= 10 * k_day_seconds;
  REQUIRE(previous.metrics.find("index", ident(schema) + ".orders_customer_idx", "idx_scan"));

  scan_index(db, schema, "status = 1", 3); // rare use since the previous audit
  const auto result = db.audit({"unused_index"}, trusting_config(), previous);

  // Scanned once before the previous audit, never since: unused although idx_scan > 0.
  const auto& idle = finding(result, "unused_index", ident(schema) + ".orders_customer_idx");
  CHECK(idle.severity == model::Severity::low);
  CHECK(idle.message.find("was not scanned in the 10 day(s) since the previous audit (1 scan(s) in all)")
        != std::string::npos);
  CHECK(idle.evidence.at("idx_scan") == 1);
  CHECK(idle.evidence.at("idx_scan_delta") == 0);
  CHECK(idle.evidence.at("window_days") == 10);
  CHECK(idle.evidence.at("stats_reset_detected") == false);
  CHECK(idle.remediation.find("-- save its definition first: select pg_catalog.pg_get_indexdef('" + ident(schema)
                              + ".orders_customer_idx'::regclass);") != std::string::npos);

  // Three scans since the previous audit: rare use, check before dropping.
  const auto& rare = finding(result, "unused_index", ident(schema) + ".orders_status_idx");
  CHECK(rare.message.find("was scanned only 3 time(s) in the 10 day(s) since the previous audit: rare use, "
                          "check before dropping") != std::string::npos);
  CHECK(rare.evidence.at("rare_use") == true);
  CHECK(rare.evidence.at("idx_scan_delta") == 3);
  CHECK(rare.remediation.rfind("-- rare use (3 scan(s) in the window)", 0) == 0);

  // Control: orders_code_idx is a twin of orders_code_key; the pkey is a constraint.
  CHECK(findings_of(result, "unused_index").size() == 2);

  // Above rare_scans, a scanned index is in use.
  auto strict = trusting_config();
  strict.checks["unused_index"].params["rare_scans"] = "2";
  CHECK_FALSE(has_finding(db.audit({"unused_index"}, strict, previous), "unused_index", ident(schema) + ".orders_status_idx"));
}

TEST_CASE("unused_index: from PostgreSQL 16, an index last scanned last_scan_days ago is unused without history, "
          "one scanned since is not, and the fix drops it. Before 16 a scanned index is in use",
          "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  scan_index(db, schema, "customer_id = 1", 1);
  const auto object = ident(schema) + ".orders_customer_idx";
  // The audit's clock moved on (--as-of): 60 and 100 days after the scan.
  const auto days_later = [&](std::int64_t days) {
    return audit_conninfo(db.conninfo(), {"unused_index"}, trusting_config(), std::nullopt,
                          util::now_epoch() + days * k_day_seconds);
  };
  CHECK_FALSE(has_finding(days_later(60), "unused_index", object)); // within last_scan_days (90)
  const auto later = days_later(100);
  if (cluster_major() < 16) {
    CHECK_FALSE(has_finding(later, "unused_index", object)); // no date of the last scan before 16
    return;
  }
  const auto& f = finding(later, "unused_index", object);
  INFO(f.message);
  const auto last_scan = f.evidence.at("last_scan").get<std::string>();
  CHECK(f.message.find("was last scanned on " + last_scan + ", 100 day(s) ago (1 scan(s) in all)") != std::string::npos);
  CHECK(f.evidence.at("idx_scan_delta") == 0);
  CHECK(f.evidence.at("window_days") == 100);
  CHECK(f.confidence == "high");
  CHECK(f.severity == model::Severity::low);
  // The guard keeps it if it is scanned again before the fix runs.
  CHECK(f.remediation.find("and s.idx_scan > 1) then") != std::string::npos);
  const auto run = run_psql_script(db.conninfo(), f.remediation);
  INFO(run.output);
  CHECK(run.errors().empty());
  CHECK(db.scalar(with_schema(schema, "select count(*) from pg_class where oid = to_regclass('$s.orders_customer_idx')")) == "0");
}

TEST_CASE("unused_index: a statistics reset since the previous audit makes usage untrustworthy", "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  scan_index(db, schema, "customer_id = 1", 2);
  auto previous = previous_from(db.audit({"metrics_indexes"}));
  previous.taken_at -= 40 * k_day_seconds;

  SECTION("the counter went down while stats_reset stayed")
  {
    previous.metrics.set("index", ident(schema) + ".orders_status_idx", "idx_scan", 100);
    const auto result = db.audit({"unused_index"}, trusting_config(), previous);
    const auto& f = finding(result, "unused_index", ident(schema) + ".orders_status_idx");
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("stats_reset_detected") == true);
    CHECK(f.evidence.at("window_days").is_null());
    CHECK(f.message.find("counter went down") != std::string::npos);
    CHECK(f.message.find("usage is not yet trustworthy: the counter was reset") != std::string::npos);
    // Judged per index: orders_customer_idx kept its count, so its window is the 40 days.
    const auto& idle = finding(result, "unused_index", ident(schema) + ".orders_customer_idx");
    CHECK(idle.evidence.at("stats_reset_detected") == false);
    CHECK(idle.evidence.at("window_days") == 40);
  }
  SECTION("pg_stat_database.stats_reset changed")
  {
    previous.stats_reset = "2020-01-01T00:00:00Z";
    db.exec_with_stats("select pg_catalog.pg_stat_reset()");
    const auto result = db.audit({"unused_index"}, audit::default_config(), previous);
    // Scanned before the reset, not since: judged on the (young) counters since the reset.
    const auto& f = finding(result, "unused_index", ident(schema) + ".orders_customer_idx");
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("stats_reset_detected") == true);
    CHECK(f.evidence.at("idx_scan") == 0);
    CHECK(f.message.find("since statistics were reset") != std::string::npos);
    CHECK(f.message.find("statistics are only 0 day(s) old") != std::string::npos);
  }
}

TEST_CASE("unused_index: on a table nobody read in the window, the verdict is low confidence and info",
          "[checks][versioned][unused_index]")
{
  ScratchDb db;
  plant_orders(db, k_public_schema);
  // The first audit records the counters of every index and table; ten days pass.
  const auto previous = counted_days_ago(db, 10);

  SECTION("orders not read since")
  {
    const auto result = db.audit({"unused_index"}, trusting_config(), previous);
    const auto& f = finding(result, "unused_index", "public.orders_status_idx");
    CHECK(f.confidence == "low");
    CHECK(f.severity == model::Severity::info);
    CHECK(f.evidence.at("table_reads") == 0);
    CHECK(f.evidence.at("trustworthy") == false);
    CHECK(f.message.find("public.orders itself was not read in the window") != std::string::npos);
    CHECK(f.evidence.at("confidence_basis").dump().find("was not read in the window") != std::string::npos);
    // Not enough evidence: nothing to paste but a comment.
    CHECK(f.remediation.rfind("-- not enough evidence yet: ", 0) == 0);
    CHECK(f.remediation.find("drop index") == std::string::npos);
    CHECK(f.undo.empty());
  }
  SECTION("control: orders read by a sequential scan since")
  {
    db.exec_with_stats("set enable_indexscan = off; set enable_bitmapscan = off; select count(*) from public.orders");
    const auto result = db.audit({"unused_index"}, trusting_config(), previous);
    const auto& f = finding(result, "unused_index", "public.orders_status_idx");
    CHECK(f.confidence == "high");
    CHECK(f.severity == model::Severity::low);
    CHECK(f.evidence.at("table_reads") == 1);
    CHECK(f.remediation.find("drop index if exists") != std::string::npos);
  }
}

TEST_CASE("unused_index: an index made since the previous audit is not judged until the next one",
          "[checks][versioned][unused_index]")
{
  ScratchDb db;
  plant_orders(db, k_public_schema);
  // The first audit records the counters of every index and table; forty days pass, in which a
  // migration adds an index (on any day of them: nothing says which) and orders is read.
  const auto previous = counted_days_ago(db, 40);
  db.exec("create index orders_code_lower_idx on public.orders(lower(code))");
  db.exec_with_stats("set enable_indexscan = off; set enable_bitmapscan = off; select count(*) from public.orders");

  const auto result = db.audit({"unused_index"}, trusting_config(), previous);
  const auto& fresh = finding(result, "unused_index", "public.orders_code_lower_idx");
  CHECK(fresh.severity == model::Severity::info);
  CHECK(fresh.confidence == "low");
  CHECK(fresh.evidence.at("new_since_previous") == true);
  CHECK(fresh.evidence.at("trustworthy") == false);
  CHECK(fresh.message.find("has not been scanned since it was made or renamed, after the previous audit ("
                           + audit::checks::iso_date(previous.taken_at) + ")") != std::string::npos);
  CHECK(fresh.message.find("not in the previous audit's index counters") != std::string::npos);
  CHECK(fresh.message.find("of the 40 day(s) in between") != std::string::npos);
  CHECK(fresh.remediation.rfind("-- not enough evidence yet: ", 0) == 0);
  CHECK(fresh.remediation.find("drop index") == std::string::npos);

  // Control: an index the previous audit counted, unscanned since, on a table read since.
  const auto& old = finding(result, "unused_index", "public.orders_status_idx");
  CHECK(old.evidence.at("new_since_previous") == false);
  CHECK(old.confidence == "high");
  CHECK(old.severity == model::Severity::low);
  CHECK(old.remediation.find("drop index if exists") != std::string::npos);

  // Without the table's counters in the previous audit nothing tells a new index: lifetime counters.
  auto indexes_only = previous_from(db.audit({"metrics_indexes"}));
  db.exec("drop index public.orders_code_lower_idx; create index orders_code_lower_idx on public.orders(lower(code))");
  const auto& unknown = finding(db.audit({"unused_index"}, trusting_config(), indexes_only), "unused_index",
                                "public.orders_code_lower_idx");
  CHECK(unknown.evidence.at("new_since_previous") == false);
}

TEST_CASE("unused_index: the previous audit's own reads of an index are not use", "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // hits nears the integer limit and its index is in use: int_overflow reads its max() through it.
  db.plant(schema, R"(
    create table $s.counters(id bigint primary key, hits integer);
    insert into $s.counters select g, 1700000000 + g from generate_series(1, 2000) g;
    create index counters_hits_idx on $s.counters(hits);
    analyze $s.counters;
    set enable_seqscan = off; set enable_bitmapscan = off;
    select count(*) from $s.counters where hits = 1700000001;
  )");
  const auto index = ident(schema) + ".counters_hits_idx";
  const auto scans = [&] {
    return std::stoll(db.scalar("select pg_stat_get_numscans('" + index + "'::regclass)").value());
  };
  REQUIRE(scans() == 1);
  const auto first = db.audit({"metrics_indexes", "metrics_tables", "int_overflow"});
  CHECK(finding(first, "int_overflow", ident(schema) + ".counters.hits").evidence.at("source") == "max() via index");
  auto previous = previous_from(first);
  CHECK(previous.metrics.find("index", index, "idx_scan") == 1);
  CHECK(previous.metrics.find("index", index, "audit_idx_scan") == 1);
  CHECK(previous.metrics.find("table", ident(schema) + ".counters", "audit_idx_scan") == 1);
  // The server counts the audit's read once its session has ended.
  for (int i = 0; i < 100 && scans() == 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(scans() == 2);

  // Ten days later, nothing but that audit read the index or its table: unused (not rare use),
  // and the table itself unread in the window.
  previous.taken_at -= 10 * k_day_seconds;
  const auto result = db.audit({"unused_index"}, trusting_config(), previous);
  const auto& f = finding(result, "unused_index", index);
  CHECK(f.evidence.at("idx_scan") == 2);
  CHECK(f.evidence.at("idx_scan_delta") == 0);
  CHECK(f.evidence.at("table_reads") == 0);
  CHECK(f.message.find("was not scanned in the 10 day(s) since the previous audit (2 scan(s) in all)") != std::string::npos);

  // Control: a scan by the application since is use.
  db.exec_with_stats(with_schema(schema, "set enable_seqscan = off; set enable_bitmapscan = off;"
                                         "select count(*) from $s.counters where hits = 1700000002"));
  auto rare = trusting_config();
  rare.checks["unused_index"].params["rare_scans"] = "0";
  CHECK_FALSE(has_finding(db.audit({"unused_index"}, rare, previous), "unused_index", index));
}

TEST_CASE("unused_index: two audits in a row, the second judges the growth", "[checks][versioned][unused_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  auto config = trusting_config();
  config.checks["unused_index"].params["rare_scans"] = "0";
  const auto first = db.audit({"metrics_indexes", "unused_index"}, config);
  CHECK(has_finding(first, "unused_index", ident(schema) + ".orders_customer_idx"));

  scan_index(db, schema, "customer_id = 1", 1);
  const auto second = db.audit({"metrics_indexes", "unused_index"}, config, previous_from(first));
  CHECK_FALSE(has_finding(second, "unused_index", ident(schema) + ".orders_customer_idx"));
  const auto& f = finding(second, "unused_index", ident(schema) + ".orders_status_idx");
  CHECK(f.evidence.at("idx_scan_delta") == 0);
  CHECK(f.evidence.at("window_days") == 0);
}

TEST_CASE("unused_index: the fix runs as printed, and keeps an index scanned since the audit: redundant and unused is one entry",
          "[checks][versioned][unused_index][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  db.exec(with_schema(schema, "create index orders_status_region_idx on $s.orders(status, region)"));
  scan_index(db, schema, "customer_id = 1", 1);
  const auto result = db.audit({"unused_index"}, trusting_config());
  const auto& status = finding(result, "unused_index", ident(schema) + ".orders_status_idx");
  const auto fixed = run_fix_on_copy(db, status);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(status));

  // The same index is redundant too: with both checks, one entry, the redundant one (a wider
  // index serves its queries), carrying the usage evidence; its fix runs as printed.
  const auto together = db.audit({"unused_index", "redundant_index"}, trusting_config());
  CHECK_FALSE(has_finding(together, "unused_index", ident(schema) + ".orders_status_idx"));
  const auto& both = finding(together, "redundant_index", ident(schema) + ".orders_status_idx");
  CHECK(both.evidence.at("unused_index").at("idx_scan") == 0);
  CHECK(both.message.find("; unused_index agrees: index orders_status_idx on ") != std::string::npos);
  CHECK(has_finding(together, "unused_index", ident(schema) + ".orders_status_region_idx")); // unused, not redundant: its own entry
  const auto dropped = run_fix_on_copy(db, both);
  CHECK(dropped.problems().empty());
  CHECK_FALSE(dropped.still_reported(both));

  // Scanned on the copy after the audit: the guard keeps it.
  ScratchDb copy(db.name());
  copy.exec(with_schema(schema, "drop index $s.orders_status_region_idx"));
  scan_index(copy, schema, "status = 1", 1);
  const auto kept = run_psql_script(copy, status.remediation);
  INFO(kept.output);
  REQUIRE(kept.errors().size() == 1);
  CHECK(kept.errors()[0].find("orders_status_idx was scanned since the audit: it is in use, keep it") != std::string::npos);
  CHECK(copy.scalar(with_schema(schema, "select to_regclass('$s.orders_status_idx')")).has_value());
}

TEST_CASE("unused_index: the undo, cancelled once, builds a valid index when run again", "[checks][versioned][unused_index][roundtrip]")
{
  // OpenFGA: the undo's concurrent build, cancelled, left the index invalid; run again, "if not
  // exists" kept it so and the script reported success.
  ScratchDb db;
  plant_orders(db, "public");
  const auto result = db.audit({"unused_index"}, trusting_config());
  const auto& status = finding(result, "unused_index", "public.orders_status_idx");
  ScratchDb copy(db.name());
  REQUIRE(run_psql_script(copy, status.remediation).errors().empty());
  {
    // a session holding a snapshot: the build waits for it until the statement timeout cancels it
    pqxx::connection reader(copy.conninfo());
    pqxx::transaction<pqxx::isolation_level::repeatable_read> open_tx(reader);
    open_tx.exec("select count(*) from pg_class");
    const auto cancelled = run_psql_script(copy.conninfo() + " options='-c statement_timeout=1500'", status.undo);
    INFO(cancelled.output);
    REQUIRE_FALSE(cancelled.errors().empty());
    REQUIRE(invalid_indexes(copy) == std::vector<std::string>{"orders_status_idx"});
  }
  const auto again = run_psql_script(copy, status.undo);
  INFO(again.output);
  CHECK(again.errors().empty());
  CHECK(invalid_indexes(copy).empty());
  CHECK(copy.scalar("select indexrelid::regclass::text from pg_index where indexrelid = 'public.orders_status_idx'::regclass and indisvalid") ==
        "orders_status_idx");
}

TEST_CASE("unused_index: a partial index is graded by the writes to the rows it holds", "[checks][versioned][unused_index]")
{
  // OpenFGA: an empty partial index (WHERE user_type = 'userset') was medium on "every write on
  // public.tuple maintains it (8.0 kB, 200000 writes)".
  ScratchDb db;
  db.plant("public", R"(
    create table tuples(id bigint primary key, kind text not null, v text);
    create index tuples_v_userset on tuples(v) where kind = 'userset';
    create index tuples_v_user on tuples(v) where kind = 'user';
    -- control: a whole index takes every write
    create index tuples_v_idx on tuples(v);
    insert into tuples select g, 'user', 'v' || g from generate_series(1, 100000) g;
    analyze tuples;
    select count(*) from tuples where id < 10;
  )");
  auto config = trusting_config();
  config.checks["unused_index"].params["busy_writes_per_day"] = "50000";
  const auto result = db.audit({"unused_index"}, config);
  const auto& whole = finding(result, "unused_index", "public.tuples_v_idx");
  INFO(whole.message);
  CHECK(whole.severity == model::Severity::medium);
  CHECK(whole.message.find("yet every write on public.tuples maintains it (") != std::string::npos);

  const auto& empty = finding(result, "unused_index", "public.tuples_v_userset");
  INFO(empty.message);
  CHECK(empty.severity == model::Severity::low);
  CHECK(empty.evidence.at("index_writes") == 0);
  CHECK(empty.evidence.at("partial_share_pct") == 0);
  CHECK(empty.message.find("(no write to the rows of public.tuples it holds counted since its statistics started: it "
                           "holds 0.0% of them)") != std::string::npos);

  const auto& all = finding(result, "unused_index", "public.tuples_v_user");
  INFO(all.message);
  CHECK(all.severity == model::Severity::medium);
  CHECK(all.evidence.at("partial_share_pct") == 100);
  CHECK(all.message.find("yet writes to the rows of public.tuples it holds maintain it (") != std::string::npos);
  CHECK(all.message.find("by the share of the table's rows it holds: 100.0%)") != std::string::npos);
}

TEST_CASE("unused_index: an index wider than a scanned prefix that redundant_index drops is judged after the drop",
          "[checks][versioned][unused_index]")
{
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table subscriptions(id int primary key, feed_id int, active boolean, muted boolean, title text);
    insert into subscriptions select g, g % 50, g % 2 = 0, g % 3 = 0, 't' || g from generate_series(1, 2000) g;
    create index subscriptions_feed_idx on subscriptions(feed_id);
    create index subscriptions_feed_active_idx on subscriptions(feed_id, active, muted);
    -- another index the prefix leads, never scanned either, narrower: not the cover redundant_index
    -- names, judged as any index (Umami's session (website_id, created_at, x) for each x)
    create index subscriptions_feed_title_idx on subscriptions(feed_id, title);
    -- control: a never-scanned index no scanned index is a prefix of
    create index subscriptions_title_idx on subscriptions(title);
    analyze subscriptions;
  )");
  db.exec_with_stats("set enable_seqscan = off; set enable_bitmapscan = off; "
                     "select count(*) from subscriptions where feed_id = 1;");
  const auto result = db.audit({"unused_index", "redundant_index"}, trusting_config());
  // the scanned prefix is redundant (its queries move to the wider index once it is dropped) ...
  CHECK(finding(result, "redundant_index", "public.subscriptions_feed_idx").evidence.at("wider_index") ==
        "subscriptions_feed_active_idx");
  // ... so the wider one, which no query used yet, is not called unused: both dropped, feed_id
  // would be left without an index
  CHECK_FALSE(has_finding(result, "unused_index", "public.subscriptions_feed_active_idx"));
  CHECK(has_finding(result, "unused_index", "public.subscriptions_title_idx"));
  // the other wider one is not the cover: unused as it is (the named cover takes the prefix's queries)
  CHECK(has_finding(result, "unused_index", "public.subscriptions_feed_title_idx"));

  // After both drops the audit proposed, the cover takes the queries: not unused. (With the
  // sibling kept, the planner would pick the smaller sibling: the cover is the one no fix drops.)
  db.exec("drop index subscriptions_feed_idx; drop index subscriptions_feed_title_idx");
  db.exec_with_stats("set enable_seqscan = off; set enable_bitmapscan = off; "
                     "select count(*) from subscriptions where feed_id = 1;");
  CHECK_FALSE(has_finding(db.audit({"unused_index"}, trusting_config()), "unused_index",
                          "public.subscriptions_feed_active_idx"));
}

TEST_CASE("unused_index: an index that serves a foreign key the way fk_without_index counts it is kept",
          "[checks][versioned][unused_index]")
{
  // Documenso: fk_without_index's fix builds a partial index (key IS NOT NULL) on a mostly NULL
  // key, which unused_index then proposed to drop, after which fk_without_index reported the key
  // again; Lago: an index on invoice_id serves the key (organization_id, invoice_id)
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.users(id int primary key, organization_id int not null, unique (organization_id, id));
    create table $s.calls(id int primary key, organization_id int not null, user_id int references $s.users,
                          owner_id int, reviewer_id int references $s.users, deleted_at timestamptz,
                          foreign key (organization_id, owner_id) references $s.users(organization_id, id));
    insert into $s.users select g, g % 3 from generate_series(1, 2000) g;
    insert into $s.calls select g, g % 3, case when g % 10 = 0 then g end, g, g, null from generate_series(1, 2000) g;
    create index calls_user_id_idx on $s.calls(user_id) where user_id is not null;
    create index calls_owner_id_idx on $s.calls(owner_id);
    -- control: a soft-delete predicate does not follow from a key's lookup
    create index calls_reviewer_id_idx on $s.calls(reviewer_id) where deleted_at is null;
    -- Supabase Storage's objects: the unique (bucket_id, name) serves the key; a second index led by
    -- bucket_id, never scanned, serves nothing the unique one does not
    create table $s.buckets(id text primary key);
    create table $s.objects(id int primary key, bucket_id text references $s.buckets, name text);
    create unique index objects_bucket_name on $s.objects(bucket_id, name);
    create index objects_bucket_name_lower on $s.objects(bucket_id, lower(name));
    insert into $s.buckets select 'b' || g from generate_series(1, 20) g;
    insert into $s.objects select g, 'b' || (1 + g % 20), 'o' || g from generate_series(1, 2000) g;
    analyze $s.users, $s.calls, $s.buckets, $s.objects;
  )");
  db.exec_with_stats(with_schema(schema, "select count(*) from $s.calls; select count(*) from $s.objects;"));
  const auto result = db.audit({"unused_index"}, trusting_config());
  const auto s = ident(schema);
  CHECK_FALSE(has_finding(result, "unused_index", s + ".calls_user_id_idx"));
  CHECK_FALSE(has_finding(result, "unused_index", s + ".calls_owner_id_idx"));
  CHECK(has_finding(result, "unused_index", s + ".calls_reviewer_id_idx"));
  CHECK(has_finding(result, "unused_index", s + ".objects_bucket_name_lower"));
}

TEST_CASE("unused_index: an index's comment is shown before its drop and set again by the undo",
          "[checks][versioned][unused_index][roundtrip]")
{
  // Coder documents indexes with COMMENT ON INDEX; the undo of a drop lost them
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  plant_orders(db, schema);
  db.exec(with_schema(schema, "comment on index $s.orders_status_idx is 'keep: the nightly report''s'"));
  scan_index(db, schema, "customer_id = 1", 1);
  const auto result = db.audit({"unused_index"}, trusting_config());
  const auto& status = finding(result, "unused_index", ident(schema) + ".orders_status_idx");
  CHECK(status.evidence.at("comment") == "keep: the nightly report's");
  CHECK(status.message.find("(its comment says: keep: the nightly report's)") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, status);
  CHECK(fixed.problems().empty());
  CHECK(run_psql_script(*fixed.copy, status.undo).errors().empty());
  CHECK(fixed.copy->scalar(with_schema(schema, "select obj_description('$s.orders_status_idx'::regclass, 'pg_class')")) ==
        std::optional<std::string>("keep: the nightly report's"));
}
