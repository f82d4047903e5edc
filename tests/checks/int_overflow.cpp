#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace test;

TEST_CASE("int_overflow: reads the exact max through an index, estimates the rest, and passes risk to FK columns",
          "[checks][int_overflow]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.page_views(id bigint primary key, view_counter integer, legacy_total integer, day_count integer,
                               quiet_counter integer);
    insert into $s.page_views select g, 600000000 + g, 1700000000 + g, g % 365, 1700000000 + g from generate_series(1, 2000) g;
    create index page_views_view_counter_idx on $s.page_views(view_counter);
    create index page_views_quiet_counter_idx on $s.page_views(quiet_counter);
    create table $s.accounts(id integer primary key, name text);
    insert into $s.accounts select 1900000000 + g, 'acct ' || g from generate_series(1, 500) g;
    create table $s.ledger(id bigint primary key, account_id integer references $s.accounts(id), amount numeric);
    insert into $s.ledger select g, 1900000001, g from generate_series(1, 10) g;
    create table $s.notes(id bigint primary key, account_ref bigint references $s.accounts(id));
    create table $s.tickets(id serial primary key);
    -- a bit mask every row takes by default, all bits but one set
    create table $s.members(id bigint primary key, privileges integer not null default 2147483646);
    insert into $s.members select g from generate_series(1, 300) g;
    select setval(pg_get_serial_sequence('$s.tickets', 'id'), 2100000000);
    analyze;
  )");
  // After ANALYZE: pg_stats still says ~28% for view_counter; only the exact read sees this. The
  // application reads through its index (the key's index was read by the foreign key's checks);
  // nothing reads through quiet_counter's.
  db.exec(with_schema(schema, "insert into $s.page_views values (5000, 2100000000, 1, 1, 1)"));
  db.exec_with_stats(with_schema(schema, "set enable_seqscan = off; set enable_bitmapscan = off;"
                                         "select count(*) from $s.page_views where view_counter = 600000001"));
  const auto scans = [&](const std::string& index) {
    return std::stoll(db.scalar(with_schema(schema, "select pg_stat_get_numscans('$s." + index + "'::regclass)")).value());
  };
  const auto counter_scans = scans("page_views_view_counter_idx");
  REQUIRE(counter_scans > 0);
  REQUIRE(scans("page_views_quiet_counter_idx") == 0);

  const auto result = db.audit({"int_overflow"});
  const auto s = ident(schema);

  // The server counts the audit's read as a scan of the index it went through, once the audit's
  // session ends: it read through view_counter's index, and not through quiet_counter's, which
  // stays unused (its pg_stats bound is the estimate).
  for (int i = 0; i < 100 && scans("page_views_view_counter_idx") == counter_scans; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(scans("page_views_view_counter_idx") == counter_scans + 1);
  CHECK(scans("page_views_quiet_counter_idx") == 0);
  const auto& quiet = finding(result, "int_overflow", ident(schema) + ".page_views.quiet_counter");
  CHECK(quiet.evidence["estimate"] == true);
  CHECK(quiet.evidence["exact_read_skipped"].get<std::string>().find("not scanned in the last 7 day(s)") !=
        std::string::npos);

  const auto& counter = finding(result, "int_overflow", ident(schema) + ".page_views.view_counter");
  CHECK(counter.category == "int_overflow");
  CHECK(counter.severity == model::Severity::critical);
  CHECK(counter.evidence["max_value"] == 2100000000);
  CHECK(counter.evidence["estimate"] == false);
  CHECK(counter.remediation.find("alter table " + s + ".page_views add column if not exists view_counter_bigint bigint;") !=
        std::string::npos);
  CHECK(counter.remediation.find(" type bigint") == std::string::npos);

  // No index: the pg_stats upper bound, labelled as an estimate.
  const auto& legacy = finding(result, "int_overflow", ident(schema) + ".page_views.legacy_total");
  CHECK(legacy.severity == model::Severity::high);
  CHECK(legacy.evidence["estimate"] == true);
  CHECK(legacy.evidence["exact_read_skipped"].is_null());
  CHECK(legacy.message.find("estimated") != std::string::npos);

  // The key itself, and the integer column that references it with the key's usage.
  CHECK(finding(result, "int_overflow", ident(schema) + ".accounts.id").severity == model::Severity::high);
  const auto& child = finding(result, "int_overflow", ident(schema) + ".ledger.account_id");
  CHECK(child.evidence["referenced"] == ident(schema) + ".accounts.id");
  CHECK(child.evidence["max_value"] == 1900000500);
  CHECK(child.severity == model::Severity::high);

  CHECK_FALSE(has_finding(result, "int_overflow", ident(schema) + ".page_views.day_count"));
  CHECK_FALSE(has_finding(result, "int_overflow", ident(schema) + ".notes.account_ref")); // bigint
  CHECK_FALSE(has_finding(result, "int_overflow", ident(schema) + ".tickets.id"));        // sequence_overflow's
  // Its largest value is its constant default: no insert pushes it further.
  const auto& mask = finding(result, "int_overflow", ident(schema) + ".members.privileges");
  CHECK(mask.severity == model::Severity::low);
  CHECK(mask.evidence["max_is_default"] == true);
  CHECK(mask.message.find("that value is the column's default") != std::string::npos);
  CHECK(counter.evidence["max_is_default"] == false);
  CHECK(findings_of(result, "int_overflow").size() == 6);

  // Every fix runs as printed. legacy_total, used by nothing else, is swapped to bigint; so is
  // view_counter, whose plain index is built again on the new column first, and the key
  // accounts.id, whose primary key moves to a unique index on the new column with the foreign key
  // that references it dropped and added again. ledger.account_id, the referencing column, takes
  // its own foreign key with it (bigint compares with the integer key: integer_ops), added again
  // by name after the renames and validated.
  CHECK(legacy.remediation.find("rename column legacy_total to deprecated_legacy_total;") != std::string::npos);
  CHECK(counter.remediation.find("-- 2c. the indexes on view_counter, built again on view_counter_bigint") != std::string::npos);
  for (const auto& f : findings_of(result, "int_overflow")) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    CHECK(fixed.problems().empty());
    CHECK_FALSE(fixed.still_reported(f));
    if (f.object == child.object) {
      CHECK(fixed.copy->scalar(with_schema(schema, "select format_type(a.atttypid, a.atttypmod) || ' ' || c.convalidated "
                                                   "from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid "
                                                   "and a.attnum = c.conkey[1] where c.conrelid = '$s.ledger'::regclass "
                                                   "and c.contype = 'f'")) == "bigint true");
    }
  }
}

TEST_CASE("int_overflow: a signed measure spread over its domain (coordinates) is info with the move as advice, a count "
          "near the limit is not",
          "[checks][int_overflow]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  // OpenStreetMap's nodes: longitude and latitude in 1e-7 degrees (longitude up to 84% of the
  // integer limit, and as far below zero); a count that only grows, at the same height (the control)
  db.plant(schema, R"(
    create table $s.nodes(id bigint primary key, longitude integer not null, latitude integer not null,
                          edits integer not null);
    insert into $s.nodes
      select g, (-1800000000 + g::bigint * 179990)::integer, (-900000000 + g::bigint * 89990)::integer,
             1800000000 + g % 1000
      from generate_series(1, 20000) g;
    analyze $s.nodes;
  )");
  const auto result = db.audit({"int_overflow"});
  const auto& longitude = finding(result, "int_overflow", ident(schema) + ".nodes.longitude");
  INFO(longitude.message);
  CHECK(longitude.severity == model::Severity::info);
  CHECK(longitude.evidence["min_estimate"].get<long long>() < -1073741823);
  CHECK(longitude.message.find("a signed measure spread over its domain") != std::string::npos);
  CHECK(longitude.message.find("inserts fail") == std::string::npos);
  // nothing to paste: the move (Lemmy's random smallint sort key got a 100-line script) is advice
  CHECK(model::remediation_kind(longitude.remediation) == model::RemediationKind::advice);
  CHECK(longitude.remediation.find("-- alter table") != std::string::npos);
  CHECK(longitude.undo == "-- nothing to undo: the advice runs nothing");
  const auto& edits = finding(result, "int_overflow", ident(schema) + ".nodes.edits");
  CHECK(edits.severity == model::Severity::high);
  CHECK(edits.evidence["min_estimate"].get<long long>() > 0);
  CHECK_FALSE(has_finding(result, "int_overflow", ident(schema) + ".nodes.latitude")); // 42% of the limit
}
