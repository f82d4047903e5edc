#include "audit/rebuild_guards.hpp"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("guard_index_rebuilds: a build back of an index first drops its invalid leftover", "[unit][audit]")
{
  const std::string undo = "set lock_timeout = '5s';\n"
                           "create index concurrently if not exists orders_status_idx on public.orders using btree (status);";
  const auto guarded = audit::guard_index_rebuilds(undo);
  CHECK(guarded.starts_with("set lock_timeout = '5s';\n-- a cancelled build leaves the index invalid"));
  CHECK(guarded.find("indexrelid = pg_catalog.to_regclass('public.orders_status_idx') and not indisvalid) then\n"
                     "    drop index public.orders_status_idx;\n") != std::string::npos);
  CHECK(guarded.ends_with("end $$;\n" + undo.substr(undo.find("create"))));
}

TEST_CASE("guard_index_rebuilds: quoted names, unique builds and several builds in one undo", "[unit][audit]")
{
  const std::string undo = "create unique index concurrently if not exists \"Odd \"\"name'\" on \"My Schema\".\"T\" (a);\n"
                           "create index concurrently if not exists b_idx ON ONLY s.t USING btree (b);";
  const auto guarded = audit::guard_index_rebuilds(undo);
  CHECK(guarded.find("to_regclass('\"My Schema\".\"Odd \"\"name''\"')") != std::string::npos);
  CHECK(guarded.find("drop index \"My Schema\".\"Odd \"\"name'\";") != std::string::npos);
  CHECK(guarded.find("drop index s.b_idx;") != std::string::npos);
}

TEST_CASE("guard_index_rebuilds: other lines and unqualified tables are left as they are", "[unit][audit]")
{
  for (const std::string undo : {std::string("alter table s.t rename column deprecated_a to a;"),
                                 std::string("-- create index concurrently if not exists a on s.t (a);"),
                                 std::string("create index concurrently if not exists a on t (a);"),
                                 std::string("create index a on s.t (a);")}) {
    CHECK(audit::guard_index_rebuilds(undo) == undo);
  }
}
