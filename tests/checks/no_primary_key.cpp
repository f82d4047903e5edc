#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("no_primary_key: flags keyless tables and partitioned parents, not keyed tables or partitions",
          "[checks][no_primary_key]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.audit_log(at timestamptz not null default now(), actor text, line text);
    insert into $s.audit_log(actor, line) select 'user' || g, 'login' from generate_series(1, 50) g;
    create table $s.sessions(token text not null, user_id bigint, expires_at timestamptz);
    create unique index sessions_token_key on $s.sessions(token);
    create table $s.imports(id bigint, file_name text);
    create table $s.measurements(id bigint not null, taken_on date not null, value numeric)
      partition by range (taken_on);
    create table $s.measurements_2024 partition of $s.measurements
      for values from ('2024-01-01') to ('2025-01-01');
    -- controls
    create table $s.customers(id bigint generated always as identity primary key, name text);
    create table $s.events(id bigint not null, at date not null, primary key (id, at)) partition by range (at);
    create table $s.events_2024 partition of $s.events for values from ('2024-01-01') to ('2025-01-01');
  )");

  const auto result = db.audit({"no_primary_key"});
  const auto s = ident(schema);

  // No candidate key: a new bigint id from a sequence, filled in batches, made not null safely.
  const auto& log = finding(result, "no_primary_key", ident(schema) + ".audit_log");
  CHECK(log.remediation.find("alter table " + s + ".audit_log add column if not exists id bigint;") != std::string::npos);
  CHECK(log.remediation.find("check (id is not null) not valid;") != std::string::npos);
  CHECK(log.remediation.find("create unique index concurrently if not exists audit_log_pkey on " + s + ".audit_log (id);") != std::string::npos);
  CHECK(log.remediation.find("add constraint audit_log_pkey primary key using index audit_log_pkey;") != std::string::npos);

  // A unique index on NOT NULL columns becomes the key directly.
  const auto& sessions = finding(result, "no_primary_key", ident(schema) + ".sessions");
  CHECK(sessions.remediation == "set lock_timeout = '5s';\nalter table " + s +
                                  ".sessions add constraint sessions_pkey primary key using index sessions_token_key;");

  // An existing nullable id column is reused, not added again.
  const auto& imports = finding(result, "no_primary_key", ident(schema) + ".imports");
  CHECK(imports.remediation.find("add column") == std::string::npos);
  CHECK(imports.remediation.find("alter table " + s + ".imports alter column id set not null;") != std::string::npos);

  // The partitioned parent is flagged once, with the partition key in the key; its partition is not.
  const auto& parent = finding(result, "no_primary_key", ident(schema) + ".measurements");
  CHECK(parent.evidence["partitioned"] == true);
  CHECK(parent.remediation.find("primary key (id, taken_on);") != std::string::npos);
  CHECK_FALSE(has_finding(result, "no_primary_key", ident(schema) + ".measurements_2024"));

  CHECK_FALSE(has_finding(result, "no_primary_key", ident(schema) + ".customers"));
  CHECK_FALSE(has_finding(result, "no_primary_key", ident(schema) + ".events"));
  CHECK_FALSE(has_finding(result, "no_primary_key", ident(schema) + ".events_2024"));
  CHECK(findings_of(result, "no_primary_key").size() == 4);
}

TEST_CASE("no_primary_key: the fixes run as printed; a partitioned parent adopts its partitions' keys without a "
          "second index; duplicates stop the fix", "[checks][no_primary_key][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.audit_log(at timestamptz not null default now(), actor text);
    insert into $s.audit_log(actor) select 'user' || g from generate_series(1, 50) g;
    create table $s.imports(id bigint, file_name text);
    insert into $s.imports select g, 'f' || g from generate_series(1, 50) g;
    create table $s.sessions(token text not null, user_id bigint);
    create unique index sessions_token_key on $s.sessions(token);
    create table $s.measurements(id bigint not null, taken_on date not null, value numeric) partition by range (taken_on);
    create table $s.measurements_2024 partition of $s.measurements for values from ('2024-01-01') to ('2025-01-01');
    create table $s.measurements_2025 partition of $s.measurements for values from ('2025-01-01') to ('2026-01-01');
    insert into $s.measurements select g, '2024-01-01'::date + g % 700, g from generate_series(1, 1000) g;
  )");
  const auto result = db.audit({"no_primary_key"});
  const auto findings = findings_of(result, "no_primary_key");
  REQUIRE(findings.size() == 4);
  for (const auto& f : findings) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    INFO(fixed.run.output);
    CHECK(fixed.run.errors().empty());
    CHECK(fixed.run.output.find("WARNING") == std::string::npos);
    CHECK(fixed.weakened.empty());
    CHECK(fixed.invalid.empty());
    CHECK_FALSE(fixed.still_reported(f));
  }

  // One index per partition and the parent's, no duplicates: PostgreSQL built nothing under lock.
  const auto& parent = finding(result, "no_primary_key", ident(schema) + ".measurements");
  const auto indexes = with_schema(schema, "select string_agg(x.indexrelid::regclass::text, ',' order by x.indexrelid::regclass::text) from pg_index x "
                                           "where x.indrelid in ('$s.measurements'::regclass, '$s.measurements_2024'::regclass, "
                                           "'$s.measurements_2025'::regclass)");
  ScratchDb copy(db.name());
  CHECK_FALSE(copy.scalar(indexes).has_value());
  CHECK(run_psql_script(copy, parent.remediation).errors().empty());
  const auto s = ident(schema) + ".";
  CHECK(copy.scalar(indexes) == s + "measurements_2024_pkey," + s + "measurements_2025_pkey," + s + "measurements_pkey");

  // A duplicate written after the audit: it stops with the count, leaves no invalid index and no parent key.
  const auto stopped = run_fix_on_copy(db, parent, with_schema(schema, "insert into $s.measurements values (5, '2024-01-06', 0)"));
  INFO(stopped.run.output);
  REQUIRE_FALSE(stopped.run.errors().empty());
  CHECK(stopped.run.errors()[0].find("measurements: 0 rows have a NULL in (id, taken_on) and 1 keys are duplicated") != std::string::npos);
  CHECK(stopped.invalid.empty());
  CHECK(stopped.still_reported(parent));
}
