#include "support/previous_snapshot.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("metrics_sequences: how far each sequence is towards its column's maximum", "[checks][metrics_sequences]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.tags(id smallserial primary key, name text);
    create table $s.users(id int generated always as identity, name text);
    create table $s.events(id bigserial, name text);
    create sequence $s.capped maxvalue 1000;
    create sequence $s.orders_seq;
    create table $s.orders(id int default nextval('$s.orders_seq'));
    alter sequence $s.orders_seq owned by $s.orders.id;
    insert into $s.orders default values;
    create sequence $s.unused_seq;
    select setval('$s.tags_id_seq', 16384);
    select setval('$s.capped', 250);
    insert into $s.users(name) values ('a'), ('b');
    insert into $s.events(name) values ('a');
  )");

  const auto result = db.audit({"metrics_sequences"});
  const auto tags = ident(schema) + ".tags_id_seq";
  CHECK(metric_value(result, "sequence", tags, "last_value") == 16384.0);
  CHECK(metric_value(result, "sequence", tags, "max_value") == 32767.0);
  CHECK(metric_value(result, "sequence", tags, "usage_pct") == Approx(100.0 * 16384 / 32767));
  // A bigint sequence owned by an int column runs out at the column's maximum.
  CHECK(metric_value(result, "sequence", ident(schema) + ".orders_seq", "max_value") == 2147483647.0);
  const auto users = ident(schema) + ".users_id_seq";
  CHECK(metric_value(result, "sequence", users, "last_value") == 2.0);
  CHECK(metric_value(result, "sequence", users, "max_value") == 2147483647.0); // identity on int
  CHECK(metric_value(result, "sequence", ident(schema) + ".events_id_seq", "max_value") == 9223372036854775807.0);
  // Not owned by a column: its own maximum.
  CHECK(metric_value(result, "sequence", ident(schema) + ".capped", "usage_pct") == Approx(25.0));
  // Control: never used, no value to report.
  CHECK_FALSE(metric_value(result, "sequence", ident(schema) + ".unused_seq", "last_value"));
  CHECK_FALSE(metric_value(result, "sequence", ident(schema) + ".unused_seq", "usage_pct"));
  CHECK(metric_value(result, "sequence", ident(schema) + ".unused_seq", "max_value"));
}
