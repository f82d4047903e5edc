#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("duplicate_index: reports the twin to drop and names the one kept", "[checks][duplicate_index]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create table $s.orders(id int primary key, code text, status int);
    insert into $s.orders select g, 'c' || g, g % 5 from generate_series(1, 500) g;
    -- planted: a plain index next to a unique one on the same column
    create unique index orders_code_key on $s.orders(code);
    create index orders_a_code_idx on $s.orders(code);
    -- planted: two plain twins, and expression twins written differently
    create index orders_status_a on $s.orders(status);
    create index orders_status_b on $s.orders(status);
    create index orders_lower_a on $s.orders(lower(code));
    create index orders_lower_b on $s.orders ( lower( code ) );
    -- planted: a unique constraint on the primary key's column
    alter table $s.orders add constraint orders_id_key unique (id);
    -- controls: other sort order, other predicate, other opclass, other method
    create index orders_status_desc on $s.orders(status desc);
    create index orders_status_part on $s.orders(status) where code is not null;
    create index orders_code_pattern on $s.orders(code text_pattern_ops);
    create index orders_status_hash on $s.orders using hash(status);
  )");

  const auto result = db.audit({"duplicate_index"});

  // The unique index is kept, whatever the names' order.
  const auto& code = finding(result, "duplicate_index", schema + ".orders_a_code_idx");
  CHECK(code.category == "duplicate_index");
  CHECK(code.message.find("duplicates orders_code_key") != std::string::npos);
  CHECK(code.evidence.at("kept_index") == "orders_code_key");
  CHECK(code.evidence.at("kept_unique") == true);
  CHECK(code.remediation.find("-- duplicate of orders_code_key; to recreate it: CREATE INDEX orders_a_code_idx ON "
                              + ident(schema) + ".orders USING btree (code);") != std::string::npos);
  CHECK(code.remediation.find("set lock_timeout = '5s';\ndrop index concurrently if exists " + ident(schema)
                              + ".orders_a_code_idx;") != std::string::npos);
  CHECK_FALSE(has_finding(result, "duplicate_index", schema + ".orders_code_key"));

  // Between equals, the first by name is kept.
  CHECK(finding(result, "duplicate_index", schema + ".orders_status_b").evidence.at("kept_index") == "orders_status_a");
  CHECK_FALSE(has_finding(result, "duplicate_index", schema + ".orders_status_a"));
  CHECK(finding(result, "duplicate_index", schema + ".orders_lower_b").evidence.at("kept_index") == "orders_lower_a");

  // The primary key is kept; the unique constraint goes with its constraint.
  const auto& id = finding(result, "duplicate_index", schema + ".orders_id_key");
  CHECK(id.evidence.at("kept_index") == "orders_pkey");
  CHECK(id.evidence.at("kept_constraint") == "orders_pkey");
  CHECK(id.remediation.find("alter table " + ident(schema) + ".orders drop constraint if exists orders_id_key;")
        != std::string::npos);
  CHECK_FALSE(has_finding(result, "duplicate_index", schema + ".orders_pkey"));

  for (const auto* control : {"orders_status_desc", "orders_status_part", "orders_code_pattern", "orders_status_hash"}) {
    CHECK_FALSE(has_finding(result, "duplicate_index", schema + "." + control));
  }
  CHECK(findings_of(result, "duplicate_index").size() == 4);
}
