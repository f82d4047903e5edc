#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("type_money: flags money columns with an expand-contract move to numeric", "[checks][type_money]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invoices(id bigint primary key, amount money, tax numeric(12, 2));
  )");

  const auto result = db.audit({"type_money"});
  const auto s = ident(schema);

  const auto& f = finding(result, "type_money", ident(schema) + ".invoices.amount");
  CHECK(f.severity == model::Severity::low);
  CHECK(f.remediation.find("alter table " + s + ".invoices add column if not exists amount_numeric numeric;") != std::string::npos);
  CHECK(f.remediation.find("set amount_numeric = amount::numeric") != std::string::npos);
  CHECK_FALSE(has_finding(result, "type_money", ident(schema) + ".invoices.tax"));
  CHECK(findings_of(result, "type_money").size() == 1);
}

TEST_CASE("type_money: a CHECK over the column gets advice and no part of the change, and views move with the swap",
          "[checks][type_money][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.invoices(id bigint primary key, amount money constraint invoices_amount_positive check (amount > 0::money),
                             paid money not null, fee money);
    insert into $s.invoices select g, 10, 5, 1 from generate_series(1, 200) g;
    create view $s.payments as select id, paid * 2 as paid_twice from $s.invoices;
    create materialized view $s.paid_total as select sum(paid) as total from $s.invoices;
    create view $s.fees as select id from $s.invoices where fee > 0::money;
  )");
  const auto result = db.audit({"type_money"});
  const auto s = ident(schema);

  // a money CHECK does not resolve on numeric (no numeric > money): advice that names it, runs
  // nothing, and leaves no new column behind
  const auto& amount = finding(result, "type_money", s + ".invoices.amount");
  INFO(amount.remediation);
  CHECK(model::remediation_kind(amount.remediation) == model::RemediationKind::advice);
  CHECK(amount.evidence["column_used_by"].get<std::string>().find("constraint invoices_amount_positive") == 0);
  CHECK(amount.remediation.find("A CHECK constraint over amount does not apply to numeric") != std::string::npos);
  const auto advised = run_fix_on_copy(db, amount);
  CHECK(advised.problems().empty());
  CHECK(advised.still_reported(amount));
  CHECK(advised.copy->scalar(with_schema(schema, "select count(*) from pg_attribute where attrelid = '$s.invoices'::regclass "
                                                 "and attname = 'amount_numeric'")) == "0");

  // control: read by a view and a materialized view only: a script whose swap makes both again
  // over the numeric column
  const auto& paid = finding(result, "type_money", s + ".invoices.paid");
  INFO(paid.remediation);
  CHECK(model::remediation_kind(paid.remediation) == model::RemediationKind::script);
  CHECK(paid.message.find("the swap drops and recreates them") != std::string::npos);
  const auto fixed = run_fix_on_copy(db, paid);
  INFO(fixed.run.output);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(paid));
  CHECK(fixed.copy->scalar(with_schema(schema, "select total || ' ' || pg_typeof(total) from $s.paid_total")) == "1000.00 numeric");
  CHECK(fixed.copy->scalar(with_schema(schema, "select format_type(atttypid, atttypmod) from pg_attribute "
                                               "where attrelid = '$s.payments'::regclass and attname = 'paid_twice'")) == "numeric");

  // a view whose expression does not resolve on numeric (fee > 0::money): the swap stops with
  // what to do, and changes nothing (the view and the column as they were)
  const auto& fee = finding(result, "type_money", s + ".invoices.fee");
  const auto stopped = run_fix_on_copy(db, fee);
  REQUIRE(stopped.run.errors().size() == 1);
  CHECK(stopped.run.errors()[0].find("invoices.fee: a view that reads it does not resolve on numeric") != std::string::npos);
  CHECK(stopped.weakened.empty());
  CHECK(stopped.still_reported(fee));
  CHECK(stopped.copy->scalar(with_schema(schema, "select count(*) from $s.fees")) == "200");
}

TEST_CASE("type_money: a foreign key between money columns gets advice on both sides, since numeric does not compare with money",
          "[checks][type_money][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.prices(code money primary key);
    insert into $s.prices values (1), (2);
    create table $s.orders(id bigint primary key, price money references $s.prices (code), total money);
    insert into $s.orders select g, 1, 3 from generate_series(1, 50) g;
  )");
  const auto result = db.audit({"type_money"});
  const auto s = ident(schema);
  // the child's own foreign key, and the key whose referencing foreign key would not be added
  // again after the swap: advice that names it, and nothing runs
  for (const auto* object : {".orders.price", ".prices.code"}) {
    const auto& f = finding(result, "type_money", s + object);
    INFO(f.remediation);
    CHECK(model::remediation_kind(f.remediation) == model::RemediationKind::advice);
    CHECK(f.evidence["column_used_by"].get<std::string>().find("constraint orders_price_fkey") != std::string::npos);
    const auto advised = run_fix_on_copy(db, f);
    CHECK(advised.problems().empty());
    CHECK(advised.still_reported(f));
  }
  // control: a money column of the same table with no constraint moves
  const auto& total = finding(result, "type_money", s + ".orders.total");
  CHECK(model::remediation_kind(total.remediation) == model::RemediationKind::script);
  const auto fixed = run_fix_on_copy(db, total);
  CHECK(fixed.problems().empty());
  CHECK_FALSE(fixed.still_reported(total));
}
