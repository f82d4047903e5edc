#include "audit/statement_parser.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using audit::ColumnUse;
using audit::parse_statement;
using audit::TableName;

namespace {

// Whether `refs` has `column` resolved to exactly `table` with `use`.
bool
has_ref(const std::vector<audit::ColumnRef>& refs, const TableName& table, const std::string& column, ColumnUse use)
{
  return std::any_of(refs.begin(), refs.end(), [&](const audit::ColumnRef& r) {
    return r.column == column && r.use == use && r.tables == std::vector<TableName>{table};
  });
}

bool
has_column(const std::vector<audit::ColumnRef>& refs, const std::string& column)
{
  return std::any_of(refs.begin(), refs.end(), [&](const audit::ColumnRef& r) { return r.column == column; });
}

} // namespace

TEST_CASE("statement parser: aliases and join conditions resolve to their tables", "[unit][statement_parser]")
{
  const auto p = parse_statement("select o.id, c.name from orders o join public.customers as c on c.id = o.customer_id "
                                 "where o.status = $1 and c.created_at >= $2 and o.total between 10 and $3");
  const TableName orders{"", "orders"};
  const TableName customers{"public", "customers"};
  CHECK(p.tables == std::vector<TableName>{orders, customers});
  CHECK(has_ref(p.filters, orders, "status", ColumnUse::equality));
  CHECK(has_ref(p.filters, customers, "created_at", ColumnUse::range));
  CHECK(has_ref(p.filters, orders, "total", ColumnUse::range));
  CHECK(has_ref(p.filters, orders, "customer_id", ColumnUse::join));
  CHECK(has_ref(p.filters, customers, "id", ColumnUse::join));
  CHECK(has_ref(p.references, orders, "id", ColumnUse::reference));
  CHECK(has_ref(p.references, customers, "name", ColumnUse::reference));
  // The alias hides the table name: "orders" is no column qualifier here.
  CHECK_FALSE(has_column(p.filters, "o"));
}

TEST_CASE("statement parser: quoted and schema-qualified identifiers keep their spelling", "[unit][statement_parser]")
{
  const auto p = parse_statement(R"(select "Order Items".* from "App Data ""v2"""."Order Items" where "Order Items"."Qty" > 5 and "App Data ""v2"""."Order Items"."SKU" = $1)");
  const TableName items{"App Data \"v2\"", "Order Items"};
  CHECK(p.tables == std::vector<TableName>{items});
  CHECK(has_ref(p.filters, items, "Qty", ColumnUse::range));
  CHECK(has_ref(p.filters, items, "SKU", ColumnUse::equality));
  CHECK(has_ref(p.references, items, "*", ColumnUse::reference));
}

TEST_CASE("statement parser: subqueries see their own tables first, then the outer ones", "[unit][statement_parser]")
{
  const auto p = parse_statement("select a.id from a where exists (select 1 from b where b.a_id = a.id and kind = $1) "
                                 "and a.x in (select y from c where c.z = any($2))");
  const TableName a{"", "a"}, b{"", "b"}, c{"", "c"};
  CHECK(p.tables == std::vector<TableName>{a, b, c});
  CHECK(has_ref(p.filters, b, "a_id", ColumnUse::join));
  CHECK(has_ref(p.filters, a, "id", ColumnUse::join));
  CHECK(has_ref(p.filters, c, "z", ColumnUse::equality));
  // Unqualified in the subquery: b first, then the outer a.
  const auto kind = std::find_if(p.filters.begin(), p.filters.end(), [](const auto& r) { return r.column == "kind"; });
  REQUIRE(kind != p.filters.end());
  CHECK(kind->use == ColumnUse::equality);
  CHECK(kind->tables == std::vector<TableName>{b, a});
  // a.x IN (subquery) compares with a column: no constant filter.
  CHECK_FALSE(has_ref(p.filters, a, "x", ColumnUse::equality));
  CHECK(has_ref(p.references, a, "x", ColumnUse::reference));
}

TEST_CASE("statement parser: CTEs and subquery aliases are no tables", "[unit][statement_parser]")
{
  const auto p = parse_statement("with recent as (select * from orders where created_at > now() - interval '1 day') "
                                 "select r.id, s.n from recent r join users u on u.id = r.user_id "
                                 "cross join (select count(*) as n from events) s where u.email = $1");
  const TableName orders{"", "orders"}, users{"", "users"}, events{"", "events"};
  CHECK(p.tables == std::vector<TableName>{orders, users, events});
  CHECK(has_ref(p.filters, orders, "created_at", ColumnUse::range));
  CHECK(has_ref(p.filters, users, "email", ColumnUse::equality));
  CHECK(has_ref(p.filters, users, "id", ColumnUse::join));
  for (const auto& r : p.references) {
    if (r.column == "user_id" || r.column == "n") {
      CHECK(r.tables.empty());
    }
  }
}

TEST_CASE("statement parser: OR branches, casts and functions give no index filters", "[unit][statement_parser]")
{
  const auto p = parse_statement("select * from t where (a = 1 or b = 2) and lower(c) = $1 and d::text = $2 and e in ($3, $4)");
  const TableName t{"", "t"};
  CHECK_FALSE(has_column(p.filters, "a"));
  CHECK_FALSE(has_column(p.filters, "b"));
  CHECK_FALSE(has_column(p.filters, "c"));
  CHECK_FALSE(has_column(p.filters, "d"));
  CHECK(has_ref(p.filters, t, "e", ColumnUse::equality));
  CHECK(has_ref(p.references, t, "a", ColumnUse::reference));
  CHECK(has_ref(p.references, t, "d", ColumnUse::reference));
}

TEST_CASE("statement parser: unqualified columns over several tables list every candidate", "[unit][statement_parser]")
{
  const auto p = parse_statement("select name from a, s.b where flag = $1");
  const auto flag = std::find_if(p.filters.begin(), p.filters.end(), [](const auto& r) { return r.column == "flag"; });
  REQUIRE(flag != p.filters.end());
  CHECK(flag->tables == std::vector<TableName>{{"", "a"}, {"s", "b"}});
}

TEST_CASE("statement parser: INSERT, UPDATE, DELETE and COPY name their columns", "[unit][statement_parser]")
{
  const TableName t{"", "t"}, u{"", "u"}, s{"app", "t"};
  auto p = parse_statement("insert into t (a, b) values ($1, $2) on conflict (a) do update set c = excluded.c");
  CHECK(has_ref(p.references, t, "a", ColumnUse::reference));
  CHECK(has_ref(p.references, t, "b", ColumnUse::reference));
  CHECK(has_ref(p.references, t, "c", ColumnUse::reference));

  p = parse_statement("insert into t select * from u");
  CHECK(has_ref(p.references, t, "*", ColumnUse::reference));
  CHECK(has_ref(p.references, u, "*", ColumnUse::reference));

  // the SELECT's unqualified columns are its own FROM's, not the target's
  p = parse_statement("insert into t (a, k) select a, k from u where k = $1");
  CHECK(has_ref(p.filters, u, "k", ColumnUse::equality));
  CHECK(has_ref(p.references, t, "k", ColumnUse::reference));
  p = parse_statement("with w as (select 1 as k) insert into t (k) select k from w where k = $1");
  CHECK_FALSE(has_ref(p.filters, t, "k", ColumnUse::equality));

  p = parse_statement("update app.t x set a = $1 from u where u.id = x.uid and x.k >= $2");
  CHECK(has_ref(p.references, s, "a", ColumnUse::reference));
  CHECK(has_ref(p.filters, s, "k", ColumnUse::range));
  CHECK(has_ref(p.filters, s, "uid", ColumnUse::join));
  CHECK(has_ref(p.filters, u, "id", ColumnUse::join));

  p = parse_statement("delete from t using u where t.a = u.b and t.z = $1");
  CHECK(has_ref(p.filters, t, "z", ColumnUse::equality));
  CHECK(has_ref(p.filters, u, "b", ColumnUse::join));

  p = parse_statement("copy t (a, b) to stdout");
  CHECK(has_ref(p.references, t, "b", ColumnUse::reference));
  p = parse_statement("copy t to stdout");
  CHECK(has_ref(p.references, t, "*", ColumnUse::reference));
}

TEST_CASE("statement parser: JOIN ... USING compares the named column on both sides", "[unit][statement_parser]")
{
  const auto p = parse_statement("select * from a join b using (k) where a.v = 1");
  const auto k = std::find_if(p.filters.begin(), p.filters.end(), [](const auto& r) { return r.column == "k"; });
  REQUIRE(k != p.filters.end());
  CHECK(k->use == ColumnUse::join);
  CHECK(k->tables == std::vector<TableName>{{"", "a"}, {"", "b"}});
}

TEST_CASE("statement parser: text that does not parse throws util::Error", "[unit][statement_parser]")
{
  CHECK_THROWS_AS(parse_statement("select from where ="), util::Error);
  CHECK_THROWS_WITH(parse_statement("selec 1"), Catch::Contains("syntax error"));
  // Utility statements parse but read no columns.
  const auto p = parse_statement("set search_path = public; vacuum t");
  CHECK(p.filters.empty());
  CHECK(p.kinds == std::vector<std::string>{"VariableSetStmt", "VacuumStmt"});
}
