#include "report/finding_entries.hpp"

#include <catch2/catch.hpp>

namespace {

model::Finding
member(const std::string& object, const std::string& object_type)
{
  model::Finding f;
  f.check_id = "deprecated_object";
  f.object = object;
  f.object_type = object_type;
  f.group_id = "g1";
  return f;
}

std::string
summary_of(const std::vector<model::Finding>& findings)
{
  const auto entries = report::entries_of(findings);
  REQUIRE(entries.size() == 1);
  return report::entry_summary(findings, entries.front());
}

} // namespace

TEST_CASE("entry summary: objects of one type are counted with the tables and schemas they are in", "[unit][report]")
{
  CHECK(summary_of({member("crm.accounts.fax", "column"), member("crm.accounts.telex", "column"),
                    member("sales.orders.note", "column")}) == "3 columns in 2 tables across 2 schemas");
  CHECK(summary_of({member("crm.accounts_idx", "index"), member("crm.orders_idx", "index")}) == "2 indexes");
}

TEST_CASE("entry summary: objects of several types are counted by type, and a table is not in a table", "[unit][report]")
{
  // the realistic sample's deprecated_object entry read "2 objects in 1 table across 2 schemas"
  CHECK(summary_of({member("crm.accounts.deprecated_sic_code", "column"),
                    member("public.deprecated_user_preferences", "table")}) == "1 column and 1 table across 2 schemas");
  CHECK(summary_of({member("a.t.c1", "column"), member("a.t.c2", "column"), member("a.t.k", "constraint"),
                    member("a.s", "sequence")}) == "2 columns, 1 constraint and 1 sequence");
  CHECK(summary_of({member("a.t.c1", "column"), member("a.u.k", "constraint")}) == "1 column and 1 constraint in 2 tables");
}

TEST_CASE("entry summary: the cause the check named for the entry's findings ends it", "[unit][report]")
{
  auto with_cause = [](const std::string& object, const std::string& cause) {
    auto f = member(object, "column");
    f.entry = cause;
    return f;
  };
  const std::string pair = "character(36) -> character varying(40)";
  CHECK(summary_of({with_cause("public.ciphers.user_uuid", pair), with_cause("public.folders.user_uuid", pair)}) ==
        "2 columns in 2 tables (character(36) -> character varying(40))");
  CHECK(summary_of({with_cause("t1.notes.owner_uuid", pair), with_cause("t2.notes.owner_uuid", pair)}) ==
        "column notes.owner_uuid in 2 schemas (character(36) -> character varying(40))");
  // controls: no cause named, or not the same one for all
  CHECK(summary_of({with_cause("a.t.c1", ""), with_cause("a.t.c2", "")}) == "2 columns in 1 table");
  CHECK(summary_of({with_cause("a.t.c1", pair), with_cause("a.t.c2", "")}) == "2 columns in 1 table");
}
