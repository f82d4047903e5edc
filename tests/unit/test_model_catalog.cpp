#include "model/catalog.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

model::CatalogObject
table(std::int64_t oid, std::string label, std::string name)
{
  return model::CatalogObject{"table", oid, 0, std::move(label), std::move(name),
                              model::attrs_json({{"kind", "plain"}, {"persistence", "permanent"}})};
}

model::CatalogObject
column(std::int64_t table_oid, std::int64_t attnum, std::string label, std::string name, std::string type,
       std::string not_null = "no")
{
  return model::CatalogObject{"column", table_oid, attnum, std::move(label), std::move(name),
                              model::attrs_json({{"type", std::move(type)}, {"not_null", std::move(not_null)}})};
}

std::vector<std::string>
described(const std::vector<model::CatalogChange>& changes)
{
  std::vector<std::string> out;
  for (const auto& c : changes) {
    out.push_back(model::describe(c));
  }
  return out;
}

} // namespace

TEST_CASE("catalog_changes: renames are found by oid, so a renamed table or column is one change", "[unit][model]")
{
  const model::Catalog before{table(10, "public.customers", "customers"),
                              column(10, 1, "public.customers.id", "id", "bigint", "yes"),
                              column(10, 2, "public.customers.fax", "fax", "text")};
  // The table renamed: its columns' labels change with it, but not their names (no change).
  const model::Catalog renamed_table{table(10, "public.clients", "clients"),
                                     column(10, 1, "public.clients.id", "id", "bigint", "yes"),
                                     column(10, 2, "public.clients.fax", "fax", "text")};
  CHECK(described(model::catalog_changes(before, renamed_table)) ==
        std::vector<std::string>{"renamed table public.customers to public.clients"});
  // A column renamed to deprecated_*.
  const model::Catalog renamed_column{table(10, "public.customers", "customers"),
                                      column(10, 1, "public.customers.id", "id", "bigint", "yes"),
                                      column(10, 2, "public.customers.deprecated_fax", "deprecated_fax", "text")};
  const auto changes = model::catalog_changes(before, renamed_column);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change == model::ChangeKind::renamed);
  CHECK(changes[0].before == "public.customers.fax");
  CHECK(model::describe(changes[0]) == "renamed column public.customers.fax to deprecated_fax");
  // Nothing changed: nothing listed.
  CHECK(model::catalog_changes(before, before).empty());
}

TEST_CASE("catalog_changes: when every oid changed (dump and restore) objects are matched by label", "[unit][model]")
{
  const model::Catalog before{table(10, "public.t", "t"), column(10, 1, "public.t.a", "a", "integer")};
  const model::Catalog restored{table(900, "public.t", "t"), column(900, 1, "public.t.a", "a", "integer")};
  CHECK(model::catalog_changes(before, restored).empty());
  const model::Catalog restored_changed{table(900, "public.t", "t"), column(900, 1, "public.t.a", "a", "bigint")};
  CHECK(described(model::catalog_changes(before, restored_changed)) ==
        std::vector<std::string>{"column public.t.a: type integer → bigint"});
}

TEST_CASE("catalog_changes: a new table lists its columns with it, added columns and drops are listed", "[unit][model]")
{
  const model::Catalog before{table(10, "public.customers", "customers"),
                              column(10, 1, "public.customers.id", "id", "bigint", "yes"),
                              column(10, 2, "public.customers.fax", "fax", "text")};
  const model::Catalog after{table(10, "public.customers", "customers"),
                             column(10, 1, "public.customers.id", "id", "bigint", "yes"),
                             column(10, 3, "public.customers.email", "email", "text"),
                             table(20, "public.invoices", "invoices"),
                             column(20, 1, "public.invoices.id", "id", "bigint", "yes")};
  CHECK(described(model::catalog_changes(before, after)) ==
        std::vector<std::string>{"added table public.invoices", "added column public.customers.email: text",
                                 "dropped column public.customers.fax"});
  const auto changes = model::catalog_changes(before, after);
  CHECK(std::count_if(changes.begin(), changes.end(), model::notable) == 2); // the new table, the drop
}

TEST_CASE("catalog_changes: type change, NOT NULL added, constraint validated, index turned invalid", "[unit][model]")
{
  const auto constraint = [](const char* validated) {
    return model::CatalogObject{"constraint", 30, 0, "public.invoices.invoices_customer_fk", "invoices_customer_fk",
                                model::attrs_json({{"type", "foreign key"},
                                                   {"definition", "FOREIGN KEY (customer_id) REFERENCES customers(id)"},
                                                   {"validated", validated}})};
  };
  const auto index = [](const char* valid) {
    return model::CatalogObject{"index", 40, 0, "public.invoices.invoices_customer_idx", "invoices_customer_idx",
                                model::attrs_json({{"unique", "no"}, {"definition", "USING btree (customer_id)"}, {"valid", valid}})};
  };
  const model::Catalog before{column(20, 2, "public.invoices.customer_id", "customer_id", "integer"),
                              constraint("no"), index("yes")};
  const model::Catalog after{column(20, 2, "public.invoices.customer_id", "customer_id", "bigint", "yes"),
                             constraint("yes"), index("no")};
  const auto changes = model::catalog_changes(before, after);
  CHECK(described(changes) ==
        std::vector<std::string>{"column public.invoices.customer_id: NOT NULL added",
                                 "column public.invoices.customer_id: type integer → bigint",
                                 "constraint public.invoices.invoices_customer_fk: validated",
                                 "index public.invoices.invoices_customer_idx: turned invalid"});
  CHECK(model::notable(changes[1]));
  CHECK_FALSE(model::notable(changes[2]));
}

TEST_CASE("catalog_changes: a column swapped in by expand-contract is a type change", "[unit][model]")
{
  const model::Catalog before{column(20, 3, "public.orders.amount", "amount", "integer"),
                              column(20, 4, "public.orders.amount_new", "amount_new", "bigint")};
  const model::Catalog after{column(20, 3, "public.orders.deprecated_amount", "deprecated_amount", "integer"),
                             column(20, 4, "public.orders.amount", "amount", "bigint")};
  CHECK(described(model::catalog_changes(before, after)) ==
        std::vector<std::string>{"renamed column public.orders.amount_new to amount",
                                 "renamed column public.orders.amount to deprecated_amount",
                                 "column public.orders.amount: type integer → bigint (expand-contract: the old "
                                 "column is kept as deprecated_amount)"});
}

TEST_CASE("catalog_changes: a constraint whose definition only follows a column's rename is no change", "[unit][model]")
{
  const auto check = [](const char* definition) {
    return model::CatalogObject{"constraint", 50, 0, "public.orders.orders_amount_check", "orders_amount_check",
                                model::attrs_json({{"type", "check"}, {"definition", definition}, {"validated", "yes"}})};
  };
  const model::Catalog before{column(20, 3, "public.orders.amount", "amount", "integer"), check("CHECK ((amount > 0))")};
  const model::Catalog after{column(20, 3, "public.orders.deprecated_amount", "deprecated_amount", "integer"),
                             check("CHECK ((deprecated_amount > 0))")};
  CHECK(described(model::catalog_changes(before, after)) ==
        std::vector<std::string>{"renamed column public.orders.amount to deprecated_amount"});
  // A definition that changed in more than the name is listed.
  const model::Catalog changed{column(20, 3, "public.orders.deprecated_amount", "deprecated_amount", "integer"),
                               check("CHECK ((deprecated_amount >= 0))")};
  CHECK(model::catalog_changes(before, changed).size() == 2);
}

TEST_CASE("deprecation_spans: a rename to deprecated_NAME followed by its drop, with the days between", "[unit][model]")
{
  const model::Catalog v1{column(10, 2, "public.customers.fax", "fax", "text")};
  const model::Catalog v2{column(10, 2, "public.customers.deprecated_fax", "deprecated_fax", "text")};
  const model::Catalog v3{};
  const std::int64_t day = 86400;
  const std::vector<model::SnapshotChanges> history{{1, 0, {}},
                                                    {2, 91 * day, model::catalog_changes(v1, v2)},
                                                    {3, 182 * day, model::catalog_changes(v2, v3)}};
  const auto spans = model::deprecation_spans(history);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].original == "public.customers.fax");
  CHECK(spans[0].object == "public.customers.deprecated_fax");
  CHECK(spans[0].renamed_at == 91 * day);
  REQUIRE(spans[0].dropped_at);
  CHECK(*spans[0].dropped_at == 182 * day);
  CHECK(spans[0].days() == 91);
  // Not dropped yet: open.
  const auto open = model::deprecation_spans({history[0], history[1]});
  REQUIRE(open.size() == 1);
  CHECK_FALSE(open[0].dropped_at);
}

TEST_CASE("read_across_upgrades: a view's definition hash is not compared across a server's major, other changes are",
          "[unit][model]")
{
  const auto view = [](std::int64_t oid, const std::string& name, const std::string& md5) {
    return model::CatalogObject{"view", oid, 0, "public." + name, name,
                                model::attrs_json({{"kind", "plain"}, {"definition_md5", md5}})};
  };
  const model::Catalog first{view(20, "open_orders", "a1"), view(21, "totals", "b1"), table(10, "public.orders", "orders")};
  const model::Catalog upgraded{view(20, "open_orders", "a2"), view(21, "totals", "b2"),
                                table(10, "public.orders", "orders"), table(11, "public.refunds", "refunds")};
  const model::Catalog changed{view(20, "open_orders", "a3"), view(21, "totals", "b2"),
                               table(10, "public.orders", "orders"), table(11, "public.refunds", "refunds")};
  std::vector<model::SnapshotChanges> history{
    {1, 100, {}},
    {2, 200, model::catalog_changes(first, upgraded)},
    {3, 300, model::catalog_changes(upgraded, changed)},
  };
  SECTION("an upgrade between two snapshots")
  {
    history[0].server_major = 15;
    history[1].server_major = 16;
    history[2].server_major = 16;
    model::read_across_upgrades(history);
    CHECK(history[0].upgraded_from == 0);
    CHECK(history[1].upgraded_from == 15);
    CHECK(history[1].reprinted_views == 2);
    CHECK(described(history[1].changes) == std::vector<std::string>{"added table public.refunds"});
    CHECK(history[1].has_changes());
    // the same major after: a view changed is a change
    CHECK(history[2].upgraded_from == 0);
    CHECK(history[2].reprinted_views == 0);
    CHECK(described(history[2].changes) == std::vector<std::string>{"view public.open_orders: definition changed"});
  }
  SECTION("the same major throughout, or a major unknown: every change stays")
  {
    for (const int middle : {16, 0}) {
      auto read = history;
      read[0].server_major = 16;
      read[1].server_major = middle;
      read[2].server_major = 16;
      model::read_across_upgrades(read);
      CHECK(read[1].upgraded_from == 0);
      CHECK(read[1].reprinted_views == 0);
      CHECK(described(read[1].changes) ==
            std::vector<std::string>{"added table public.refunds", "view public.open_orders: definition changed",
                                     "view public.totals: definition changed"});
    }
  }
}
