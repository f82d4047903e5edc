#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("not_valid_constraint: flags CHECK and foreign key constraints never validated",
          "[checks][not_valid_constraint]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.customers(id bigint primary key);
    create table $s.orders(id bigint primary key, customer_id bigint, total numeric, status text);
    insert into $s.customers select generate_series(1, 10);
    insert into $s.orders select g, g % 10 + 1, g, 'open' from generate_series(1, 100) g;
    alter table $s.orders add constraint orders_total_positive check (total > 0) not valid;
    alter table $s.orders add constraint orders_customer_id_fkey foreign key (customer_id)
      references $s.customers(id) not valid;
    -- control: validated
    alter table $s.orders add constraint orders_status_known check (status in ('open', 'paid')) not valid;
    alter table $s.orders validate constraint orders_status_known;
  )");

  const auto result = db.audit({"not_valid_constraint"});
  const auto s = ident(schema);

  const auto& check = finding(result, "not_valid_constraint", ident(schema) + ".orders.orders_total_positive");
  CHECK(check.remediation.rfind("set lock_timeout = '5s';\n-- stop if rows break the constraint:\ndo $$", 0) == 0);
  CHECK(check.remediation.find("\nalter table " + s + ".orders validate constraint orders_total_positive;") != std::string::npos);
  CHECK(check.evidence["type"] == "check");
  CHECK(finding(result, "not_valid_constraint", ident(schema) + ".orders.orders_customer_id_fkey").evidence["type"] == "foreign key");
  CHECK_FALSE(has_finding(result, "not_valid_constraint", ident(schema) + ".orders.orders_status_known"));
  CHECK(findings_of(result, "not_valid_constraint").size() == 2);
}

namespace {

const char* const k_not_valid_schema = R"(
  create table $s.customers(id bigint, region int, primary key (id, region));
  create table $s.orders(id bigint primary key, customer_id bigint, region int, total numeric);
  insert into $s.customers select g, g % 3 from generate_series(1, 10) g;
  insert into $s.orders select g, g % 10 + 1, (g % 10 + 1) % 3, g from generate_series(1, 100) g;
  insert into $s.orders values (101, null, 1, 5), (102, 3, null, 5);
  alter table $s.orders add constraint "orders total > 0" check (total > 0) not valid;
  alter table $s.orders add constraint orders_customer_fkey foreign key (customer_id, region)
    references $s.customers on delete cascade not valid;
  create table $s.invoices(id bigint primary key, customer_id bigint, region int);
  insert into $s.invoices select g, g % 10 + 1, (g % 10 + 1) % 3 from generate_series(1, 20) g;
  insert into $s.invoices values (21, null, null);
  alter table $s.invoices add constraint invoices_customer_fkey foreign key (customer_id, region)
    references $s.customers match full not valid;
)";

} // namespace

TEST_CASE("not_valid_constraint: every fix runs on a copy and stops first on rows that break the constraint",
          "[checks][not_valid_constraint]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_not_valid_schema);
  const auto result = db.audit({"not_valid_constraint"});
  const auto rows = findings_of(result, "not_valid_constraint");
  REQUIRE(rows.size() == 3);
  for (const auto& f : rows) {
    CHECK(f.undo.rfind("-- nothing to undo", 0) == 0);
  }
  check_every_fix_runs(db, rows, {"not_valid_constraint"});

  // Rows that break each constraint, inserted after the audit the way such rows get in: under a
  // CHECK re-added NOT VALID over them, or with session_replication_role = replica, which skips
  // foreign key triggers (as a logical replica or a bulk load does).
  const std::pair<const char*, const char*> broken[] = {
    {".orders.\"orders total > 0\"", "alter table $s.orders drop constraint \"orders total > 0\"; insert into $s.orders values (200, 1, 1, -1);"
                          "alter table $s.orders add constraint \"orders total > 0\" check (total > 0) not valid;"},
    {".orders.orders_customer_fkey", "set session_replication_role = replica; insert into $s.orders values (200, 999, 1, 5);"},
    {".invoices.invoices_customer_fkey", "set session_replication_role = replica; insert into $s.invoices values (200, 1, null);"},
  };
  for (const auto& [object, rows_sql] : broken) {
    const auto& f = finding(result, "not_valid_constraint", ident(schema) + object);
    const auto fix = check_fix_stops(db, f, with_schema(schema, rows_sql),
                                     {"1 rows of " + ident(schema), "list them with: select c.* from"});
    CHECK(has_finding(fix.copy->audit({"not_valid_constraint"}), "not_valid_constraint", f.object));
  }
}

// PostgreSQL 18 adds NOT NULL NOT VALID: enforced for new rows (pg_attribute.attnotnull is set), the
// rows before it unchecked. The checks that rely on NOT NULL take the column as nullable until it
// is validated, and this check reports it.
TEST_CASE("not_valid_constraint: a NOT NULL added NOT VALID (PostgreSQL 18) is validated, and the checks that need "
          "NOT NULL take the column as nullable until then",
          "[checks][not_valid_constraint]")
{
  if (cluster_major() < 18) {
    SUCCEED("NOT NULL ... NOT VALID is PostgreSQL 18's");
    return;
  }
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.accounts(code text, region char(4), parent_id int, note text);
    insert into $s.accounts select 'c' || g, 'r' || g % 5, g, 'n' from generate_series(1, 100) g;
    create unique index accounts_code_key on $s.accounts(code);
    create table $s.parents(id bigint primary key);
    insert into $s.parents select generate_series(1, 100);
    alter table $s.accounts add constraint accounts_parent_fk foreign key (parent_id) references $s.parents(id);
    alter table $s.accounts add constraint accounts_code_nn not null code not valid;
    alter table $s.accounts add constraint accounts_region_nn not null region not valid;
    alter table $s.accounts add constraint accounts_parent_nn not null parent_id not valid;
    create table $s.serials(id serial, v text);
    alter table $s.serials alter column id drop not null;
    alter table $s.serials add constraint serials_id_nn not null id not valid;
  )");
  const auto s = ident(schema);
  const auto result = db.audit({"not_valid_constraint", "no_primary_key", "type_serial", "type_char_n", "fk_type_mismatch"});

  const auto& code = finding(result, "not_valid_constraint", s + ".accounts.accounts_code_nn");
  CHECK(code.message.find("not null constraint accounts_code_nn") == 0);
  CHECK(code.evidence.at("type") == "not null");
  const auto validated = run_fix_on_copy(db, code);
  INFO(validated.run.output);
  CHECK(validated.problems().empty());
  CHECK_FALSE(validated.still_reported(code));
  // NULLs written before the constraint: the fix stops first, with the count
  const auto stopped = run_fix_on_copy(db, code, with_schema(schema, R"(
    alter table $s.accounts drop constraint accounts_code_nn;
    insert into $s.accounts(code, region, parent_id) values (null, 'r1', 1);
    alter table $s.accounts add constraint accounts_code_nn not null code not valid;
  )"));
  REQUIRE_FALSE(stopped.run.errors().empty()); // (psql goes on: the VALIDATE fails on them too)
  CHECK(stopped.run.errors()[0].find("1 rows of " + s + ".accounts break constraint accounts_code_nn") != std::string::npos);

  // no_primary_key: the unique index's column is not proven NOT NULL: the steps for a nullable
  // column (which validate the constraint) come first, and the fix runs
  const auto& keyless = finding(result, "no_primary_key", s + ".accounts");
  INFO(keyless.remediation);
  CHECK(keyless.message.find("once code is NOT NULL") != std::string::npos);
  const auto keyed = run_fix_on_copy(db, keyless);
  INFO(keyed.run.output);
  CHECK(keyed.problems().empty());
  CHECK_FALSE(keyed.still_reported(keyless));
  // type_serial: an identity needs the column NOT NULL: advice until it is validated
  CHECK(model::remediation_kind(finding(result, "type_serial", s + ".serials.id").remediation) == model::RemediationKind::advice);
  // the column swaps would validate the NOT NULL on the new column: not printed
  CHECK(model::remediation_kind(finding(result, "type_char_n", s + ".accounts.region").remediation) ==
        model::RemediationKind::advice);
  CHECK(finding(result, "fk_type_mismatch", s + ".accounts.parent_id").evidence.at("blockers").dump().find("accounts_parent_nn") !=
        std::string::npos);
}
