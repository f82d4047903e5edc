#include "store/schema_marked.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using store::mark_schema;
using store::unmark_schema;

TEST_CASE("schema_marked: one tenant's words marked are every tenant's", "[unit][store]")
{
  const std::string fix_a = "create index concurrently if not exists \"orders_account_id_idx\" on tenant_a.orders (account_id);";
  const std::string fix_b = "create index concurrently if not exists \"orders_account_id_idx\" on tenant_b.orders (account_id);";
  CHECK(mark_schema(fix_a, "tenant_a") == mark_schema(fix_b, "tenant_b"));
  CHECK(mark_schema(fix_a, "tenant_a") != fix_a);
  CHECK(unmark_schema(mark_schema(fix_a, "tenant_a"), "tenant_b") == fix_b);
  // A name that needs quoting is marked where it is written raw inside its quotes.
  CHECK(mark_schema("alter table \"Tenant 7\".t", "Tenant 7") == mark_schema("alter table \"Tenant 9\".t", "Tenant 9"));
}

TEST_CASE("schema_marked: the text comes back exactly, whatever it and the name hold", "[unit][store]")
{
  const auto round_trip = [](const std::string& text, const std::string& schema) {
    INFO("text: " << text << " schema: " << schema);
    CHECK(unmark_schema(mark_schema(text, schema), schema) == text);
  };
  round_trip("", "");
  round_trip("", "s");
  round_trip("no name here", "");
  round_trip("aaa", "aa");                            // occurrences that overlap: marked left to right
  round_trip("s", "s");                               // the name is the whole text, and the marker's letter
  round_trip(std::string("\x01s\x01\x01 \x01"), "x"); // what looks like a mark already, and a trailing escape
  round_trip(std::string("a\x01" "b a\x01" "b"), std::string("a\x01" "b")); // the escape byte inside the name
  round_trip("public.t public", "public");
  CHECK(mark_schema(std::string("\x01"), "") == std::string("\x01\x01"));
  CHECK(mark_schema("x.t", "x") == std::string("\x01s.t"));

  // Random texts over a small alphabet that the name's letters and the escape byte are part of.
  std::mt19937 random(20261204);
  const std::string alphabet = std::string("ab\x01s.\"") + '\0';
  const auto draw = [&](std::size_t max) {
    std::string out(random() % (max + 1), ' ');
    for (auto& c : out) {
      c = alphabet[random() % alphabet.size()];
    }
    return out;
  };
  for (int i = 0; i < 2000; ++i) {
    round_trip(draw(40), draw(3));
  }
}

TEST_CASE("schema_marked: a text not written by mark_schema reads as it is", "[unit][store]")
{
  CHECK(unmark_schema("plain words", "tenant") == "plain words");
  CHECK(unmark_schema(std::string("odd \x01x byte"), "tenant") == std::string("odd \x01x byte"));
  CHECK(unmark_schema(std::string("ends in \x01"), "tenant") == std::string("ends in \x01"));
}
