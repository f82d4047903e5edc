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

  const auto& user = finding(result, "missing_fk", schema + ".orders.user_id");
  CHECK(user.evidence["references"] == schema + ".users.id"); // not archive.users
  CHECK(user.message.find("orphan") != std::string::npos);
  CHECK(user.remediation.find("alter table " + s + ".orders add constraint orders_user_id_fkey foreign key (user_id) references " +
                              s + ".users (id) not valid;\nalter table " + s +
                              ".orders validate constraint orders_user_id_fkey;") != std::string::npos);
  CHECK(user.remediation.find("set lock_timeout") != std::string::npos);

  // "categories" singularises to "category".
  CHECK(finding(result, "missing_fk", schema + ".orders.category_id").evidence["references"] == schema + ".categories.id");

  CHECK_FALSE(has_finding(result, "missing_fk", schema + ".orders.address_id")); // has a foreign key
  CHECK_FALSE(has_finding(result, "missing_fk", schema + ".orders.coupon_code")); // not an _id column
  CHECK_FALSE(has_finding(result, "missing_fk", schema + ".reviews.order_id"));   // integer vs bigint key
  CHECK_FALSE(has_finding(result, "missing_fk", schema + ".reviews.user_id"));    // integer vs bigint key
  CHECK(findings_of(result, "missing_fk").size() == 2);
}
