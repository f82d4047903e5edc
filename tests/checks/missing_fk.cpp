#include "checks/fix_round_trip.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("missing_fk: flags <table>_id columns without a foreign key, preferring the same schema",
          "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.exec("create schema archive; create table archive.users(id bigint primary key)");
  db.plant(schema, R"(
    create table $s.users(id bigint primary key, email text);
    create table $s.categories(id integer primary key, name text);
    create table $s.addresses(id bigint primary key, street text);
    create table $s.coupons(code text primary key);
    create table $s.orders(id bigint primary key, user_id bigint, category_id integer,
                           address_id bigint references $s.addresses(id), coupon_code text);
    create table $s.reviews(id bigint primary key, order_id integer, user_id integer);
  )");

  const auto result = db.audit({"missing_fk"});
  const auto s = ident(schema);

  const auto& user = finding(result, "missing_fk", ident(schema) + ".orders.user_id");
  CHECK(user.evidence["references"] == ident(schema) + ".users.id"); // not archive.users
  CHECK(user.message.find("orphan") != std::string::npos);
  CHECK(user.remediation.find("alter table " + s + ".orders add constraint orders_user_id_fkey foreign key (user_id) references " +
                              s + ".users (id) not valid;\n") != std::string::npos);
  CHECK(user.remediation.find("\nalter table " + s + ".orders validate constraint orders_user_id_fkey;") != std::string::npos);
  CHECK(user.undo == "set lock_timeout = '5s';\nalter table " + s + ".orders drop constraint if exists orders_user_id_fkey;");
  CHECK(user.remediation.find("set lock_timeout") != std::string::npos);

  // "categories" singularises to "category".
  CHECK(finding(result, "missing_fk", ident(schema) + ".orders.category_id").evidence["references"] == ident(schema) + ".categories.id");

  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".orders.address_id")); // has a foreign key
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".orders.coupon_code")); // not an _id column
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".reviews.order_id"));   // integer vs bigint key
  CHECK_FALSE(has_finding(result, "missing_fk", ident(schema) + ".reviews.user_id"));    // integer vs bigint key
  CHECK(findings_of(result, "missing_fk").size() == 2);
}

namespace {

const char* const k_rails_schema = R"(
  create table $s.users(id uuid primary key, email text);
  create table $s.accounts(id bigint primary key);
  -- a partitioned child: no NOT VALID foreign key on it before PostgreSQL 18
  create table $s.page_views(id bigint, user_id uuid, at date not null) partition by range (at);
  create table $s.page_views_2024 partition of $s.page_views for values from ('2024-01-01') to ('2025-01-01');
  create table $s.page_views_default partition of $s.page_views default;
  -- the constraint name the fix would use is taken (by a check constraint)
  create table $s.orders(id bigint primary key, user_id uuid, account_id bigint,
                         constraint orders_account_id_fkey check (account_id > 0));
  -- a table name of 50+ bytes
  create table $s.subscription_invoice_line_item_adjustment_allocations(id bigint primary key, account_id bigint);
  insert into $s.users select md5(g::text)::uuid from generate_series(1, 10) g;
  insert into $s.accounts select generate_series(1, 10);
  insert into $s.page_views select g, md5((g % 10 + 1)::text)::uuid, date '2024-01-01' + g * 3 from generate_series(1, 200) g;
  insert into $s.orders select g, case when g % 4 > 0 then md5((g % 10 + 1)::text)::uuid end, g % 10 + 1 from generate_series(1, 50) g;
  insert into $s.subscription_invoice_line_item_adjustment_allocations select g, g % 10 + 1 from generate_series(1, 50) g;
)";

} // namespace

TEST_CASE("missing_fk: every fix runs on a copy, including a partitioned child, and is not reported again", "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_rails_schema);
  const auto result = db.audit({"missing_fk"});
  const auto rows = findings_of(result, "missing_fk");
  CHECK(rows.size() == 4);
  CHECK(finding(result, "missing_fk", ident(schema) + ".page_views.user_id").remediation.find("references " + ident(schema) + ".users (id);") !=
        std::string::npos); // validated at once: a partitioned table takes no NOT VALID key on 15
  CHECK(finding(result, "missing_fk", ident(schema) + ".orders.account_id").remediation.find("orders_account_id_fkey_") != std::string::npos);

  check_every_fix_runs(db, rows, {"missing_fk"});
}

TEST_CASE("missing_fk: the fix stops on orphans and adds nothing", "[checks][missing_fk]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_rails_schema);
  const auto result = db.audit({"missing_fk"});
  const std::pair<const char*, const char*> orphans[] = {
    {".orders.user_id", "insert into $s.orders values (1000, md5('nobody')::uuid, 1), (1001, md5('nobody')::uuid, 1)"},
    {".page_views.user_id", "insert into $s.page_views values (1000, md5('nobody')::uuid, '2030-01-01')"},
  };
  for (const auto& [object, rows] : orphans) {
    const auto fix = check_fix_stops(db, finding(result, "missing_fk", ident(schema) + object), with_schema(schema, rows),
                                     {"reference no row of " + ident(schema) + ".users", "list them with: select c.* from"});
    CHECK(fix.copy->scalar("select count(*) from pg_constraint where contype = 'f'") == "0");
  }
}
