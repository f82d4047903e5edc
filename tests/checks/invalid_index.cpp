#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("invalid_index: flags an index left invalid, not a valid one", "[checks][invalid_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id int, code text);
    insert into $s.orders select g % 10, 'c' || g from generate_series(1, 100) g;
    create index orders_code_idx on $s.orders(code);
  )");
  // A failed CREATE UNIQUE INDEX CONCURRENTLY leaves the index behind, invalid.
  CHECK_THROWS(db.exec(with_schema(schema, "create unique index concurrently orders_id_key on $s.orders(id)")));

  const auto result = db.audit({"invalid_index"});
  const auto& f = finding(result, "invalid_index", ident(schema) + ".orders_id_key");
  CHECK(f.severity == model::Severity::critical); // unique: uniqueness is not enforced
  // Rebuilt as a twin swapped in under a guard, never by REINDEX (a failure leaves a second invalid index).
  CHECK(f.remediation.find("create unique index concurrently if not exists orders_id_key_rebuild on " + ident(schema) +
                           ".orders USING btree (id);") != std::string::npos);
  CHECK(f.remediation.find("reindex index") == std::string::npos);
  CHECK_FALSE(has_finding(result, "invalid_index", ident(schema) + ".orders_code_idx"));
  CHECK(findings_of(result, "invalid_index").size() == 1);
}

TEST_CASE("invalid_index: the fix rebuilds as printed, and stops on duplicates keeping the index as it was",
          "[checks][invalid_index][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.organization_membership_invitations_sent_by_administrators(
      id bigint, organization_id uuid, email text, deleted_at timestamptz, divisor int);
    insert into $s.organization_membership_invitations_sent_by_administrators
      select g, md5((g % 7)::text)::uuid, 'user' || g || '@example.com', null, 1 from generate_series(1, 200) g;
    insert into $s.organization_membership_invitations_sent_by_administrators values (1, md5('1')::uuid, 'USER1@example.com', null, 0);
  )");
  // Failed concurrent builds leave invalid indexes: a unique one on a duplicate, a plain one on an
  // expression that fails on one row. The offending row is then cleaned up.
  const auto table = with_schema(schema, "$s.organization_membership_invitations_sent_by_administrators");
  CHECK_THROWS(db.exec("create unique index concurrently invitations_email_key on " + table +
                       " (organization_id, lower(email)) where deleted_at is null"));
  CHECK_THROWS(db.exec("create index concurrently invitations_ratio_idx on " + table + " ((id / divisor))"));
  db.exec("delete from " + table + " where divisor = 0");
  // the twin's plain name is taken
  db.exec(with_schema(schema, "create sequence $s.invitations_ratio_idx_rebuild"));

  const auto result = db.audit({"invalid_index"});
  const auto findings = findings_of(result, "invalid_index");
  REQUIRE(findings.size() == 2);
  CHECK(finding(result, "invalid_index", ident(schema) + ".invitations_ratio_idx").remediation.find(
          "if not exists invitations_ratio_idx_rebuild_") != std::string::npos);
  for (const auto& f : findings) {
    INFO(f.object << "\n" << f.remediation);
    const auto fixed = run_fix_on_copy(db, f);
    INFO(fixed.run.output);
    CHECK(fixed.run.errors().empty());
    CHECK(fixed.weakened.empty());
    CHECK(fixed.invalid.size() == 1); // the other finding's index, untouched
    CHECK_FALSE(fixed.still_reported(f));
  }

  const auto& unique = finding(result, "invalid_index", ident(schema) + ".invitations_email_key");
  const auto stopped = run_fix_on_copy(db, unique, "insert into " + table + " select id, organization_id, upper(email) from " + table + " where id = 5");
  INFO(stopped.run.output);
  REQUIRE_FALSE(stopped.run.errors().empty());
  CHECK(stopped.run.errors()[0].find("invitations_email_key: 1 keys are duplicated") != std::string::npos);
  CHECK(stopped.weakened.empty()); // the invalid index is kept as it was, no second one
  CHECK(stopped.invalid.size() == 2);
  CHECK(stopped.still_reported(unique));
}

TEST_CASE("invalid_index: what a failed rebuild left is dropped by the next run, one entry, and no duplicate is built",
          "[checks][invalid_index][roundtrip]")
{
  // OpenFGA: the fix's concurrent build cancelled left idx_user_lookup_rebuild invalid beside the
  // invalid original; a second run skipped the build (if not exists), the next audit reported the
  // leftover as its own entry, and its fix built a full duplicate of the original's rebuild
  ScratchDb db;
  db.plant(k_public_schema, R"(
    create table public.tuples(id bigint primary key, v int, divisor int);
    insert into public.tuples select g, g, 1 from generate_series(1, 500) g;
    insert into public.tuples values (0, 0, 0);
  )");
  CHECK_THROWS(db.exec("create index concurrently tuples_ratio_idx on public.tuples ((v / divisor))"));
  // the leftover of a rebuild that failed the same way
  CHECK_THROWS(db.exec("create index concurrently tuples_ratio_idx_rebuild on public.tuples ((v / divisor))"));
  db.exec("delete from public.tuples where divisor = 0");

  const auto result = db.audit({"invalid_index"});
  const auto findings = findings_of(result, "invalid_index");
  REQUIRE(findings.size() == 1);
  const auto& f = findings.front();
  CHECK(f.object == "public.tuples_ratio_idx");
  CHECK(f.remediation.find("if not exists tuples_ratio_idx_rebuild on") != std::string::npos); // its own name, not a new one
  const auto fixed = run_fix_on_copy(db, f);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK(fixed.copy->scalar("select string_agg(indexrelid::regclass::text || ' ' || indisvalid, ', ' order by 1) from pg_index "
                           "where indrelid = 'public.tuples'::regclass") == "tuples_pkey true, tuples_ratio_idx true");
}
