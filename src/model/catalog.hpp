#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model {

// One object of the schema as an audit saw it (queries/inputs/catalog.sql): a table, column,
// index, constraint, view, function, extension or sequence.
struct CatalogObject
{
  std::string kind;
  // What a rename keeps: a column is its table's oid and its attnum (sub), every other object
  // its own oid and 0.
  std::int64_t oid = 0;
  std::int64_t sub = 0;
  std::string label; // quoted as the checks quote labels: schema.table.column
  std::string name;  // its own name, unquoted (a function's with its argument types)
  // What a change is read from (type, not_null, default, definition, valid, validated, ...): a
  // JSON object of text values, keys sorted (attrs_json), as the history stores it. One text
  // rather than a map: 87,000 objects of the 1,000-schema benchmark took 60 MB as maps.
  std::string attrs;
};

using Attributes = std::map<std::string, std::string>;

// `attrs` as CatalogObject::attrs holds them: a JSON object, keys sorted.
std::string attrs_json(const Attributes& attrs);

// The attributes of `o` (none when its attrs do not parse).
Attributes attributes_of(const CatalogObject& o);

// The catalog of one snapshot, in no particular order.
using Catalog = std::vector<CatalogObject>;

// The object kinds, in the order reports list them.
extern const std::vector<std::string_view> k_catalog_kinds;

enum class ChangeKind { added, dropped, renamed, altered };
std::string_view to_string(ChangeKind kind);
std::optional<ChangeKind> parse_change_kind(std::string_view text);

// One change of the catalog between two snapshots. An altered object gives one change per
// attribute that changed.
struct CatalogChange
{
  ChangeKind change = ChangeKind::added;
  std::string kind;   // the object's kind
  std::int64_t oid = 0;
  std::int64_t sub = 0;
  std::string object; // its label (a dropped object's when it was last seen)
  std::string name;   // its own name, unquoted
  std::string attribute; // altered: the attribute that changed ("type", "validated", ...)
  std::string before;    // renamed: the label before; altered: the value before ("" when unset)
  std::string after;     // altered: the value after ("" when unset)
  // What the change amounts to when it is part of a known move: a column swapped in by
  // expand-contract ("expand-contract: the old column is deprecated_amount").
  std::string note;
};

// What changed from `before` to `after`: objects matched by oid (and attnum) first, so a
// renamed table, column, index or constraint is one rename; the objects left on both sides are
// then matched by label (a dump and restore gives every object a new oid). Ordered: tables
// first, then by kind, change and label. A column swapped in by expand-contract (X renamed to
// deprecated_X and another column of the table renamed to X, of another type) also gives a type
// change of X.
std::vector<CatalogChange> catalog_changes(const Catalog& before, const Catalog& after);

// The number of objects of each kind of `catalog` (every kind of k_catalog_kinds, 0 included).
std::map<std::string, std::int64_t> catalog_counts(const Catalog& catalog);

// A change in one line: "column public.orders.amount: type integer -> bigint".
std::string describe(const CatalogChange& change);

// Whether the change is one a reader looks at first: a drop, a type change, a new table.
bool notable(const CatalogChange& change);

// The changes of one snapshot, as the history keeps them.
struct SnapshotChanges
{
  std::int64_t snapshot_id = 0;
  std::int64_t taken_at = 0;
  std::vector<CatalogChange> changes;
  int server_major = 0; // the audited server's major version (0: unknown)
  // Set by read_across_upgrades: the major of the previous snapshot when this one's differs
  // (0: none), and the views whose definition hash alone changed then, taken out of `changes`.
  int upgraded_from = 0;
  std::size_t reprinted_views = 0;

  // Whether there is anything to list: a change, or a server upgrade.
  bool has_changes() const { return !changes.empty() || upgraded_from != 0; }
};

// Marks, in `history` (oldest first), each snapshot audited on another major than the previous
// one, and takes out of its changes the views and materialized views whose only change is their
// definition's hash, counted in reprinted_views: pg_get_viewdef() prints the same view in
// another way on another major (16 stopped qualifying the columns of a query over one
// relation), so that hash is not compared across an upgrade.
void read_across_upgrades(std::vector<SnapshotChanges>& history);

// A deprecated_* rename followed by the drop of the object, in the changes of a history.
struct DeprecationSpan
{
  std::string kind;
  std::string object;   // the deprecated label, as dropped
  std::string original; // the label before the rename
  std::int64_t renamed_at = 0;
  std::optional<std::int64_t> dropped_at;
  std::int64_t days() const { return ((dropped_at ? *dropped_at : renamed_at) - renamed_at) / 86400; }
};

// Every object renamed to deprecated_* in `history` (oldest snapshot first), with its drop when
// a later snapshot dropped it (matched by oid and attnum).
std::vector<DeprecationSpan> deprecation_spans(const std::vector<SnapshotChanges>& history);

} // namespace model
