#include "model/catalog.hpp"

#include "util/enum_names.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <tuple>
#include <unordered_map>

namespace model {

const std::vector<std::string_view> k_catalog_kinds = {"table",    "column",   "constraint", "index",
                                                       "view",     "sequence", "function",   "extension"};

namespace {

constexpr util::EnumNames<ChangeKind, 4> k_change_names({"added", "dropped", "renamed", "altered"});

// Objects that live in a table: a rename changes their own name; a table's label changes with
// its schema too (ALTER TABLE ... SET SCHEMA).
bool
in_table(std::string_view kind)
{
  return kind == "column" || kind == "index" || kind == "constraint";
}

std::size_t
kind_rank(std::string_view kind)
{
  const auto it = std::find(k_catalog_kinds.begin(), k_catalog_kinds.end(), kind);
  return static_cast<std::size_t>(it - k_catalog_kinds.begin());
}

std::string
attr(const Attributes& attrs, const std::string& key)
{
  const auto it = attrs.find(key);
  return it == attrs.end() ? std::string() : it->second;
}

std::string
attr(const CatalogObject& o, const std::string& key)
{
  return attr(attributes_of(o), key);
}

// What an added object is, in a few words: a column's type, a constraint's or index's definition.
std::string
summary(const CatalogObject& o)
{
  if (o.kind == "column") {
    return attr(o, "type") + (attr(o, "not_null") == "yes" ? " not null" : "");
  }
  if (o.kind == "constraint") {
    return attr(o, "definition") + (attr(o, "validated") == "no" ? " NOT VALID" : "");
  }
  if (o.kind == "index") {
    return attr(o, "definition") + (attr(o, "valid") == "no" ? " (invalid)" : "");
  }
  if (o.kind == "table" || o.kind == "view") {
    const auto kind = attr(o, "kind");
    return kind == "plain" ? std::string() : kind;
  }
  if (o.kind == "extension") {
    return attr(o, "version");
  }
  if (o.kind == "sequence") {
    return attr(o, "type");
  }
  return {};
}

CatalogChange
change_of(ChangeKind kind, const CatalogObject& o)
{
  CatalogChange c;
  c.change = kind;
  c.kind = o.kind;
  c.oid = o.oid;
  c.sub = o.sub;
  c.object = o.label;
  c.name = o.name;
  return c;
}

struct Pair
{
  const CatalogObject* before;
  const CatalogObject* after;
};

// Matches `after` with `before`: by (kind, oid, sub), then what is left by (kind, label).
void
match(const Catalog& before, const Catalog& after, std::vector<Pair>& pairs, std::vector<const CatalogObject*>& added,
      std::vector<const CatalogObject*>& dropped)
{
  using Key = std::tuple<std::string_view, std::int64_t, std::int64_t>;
  std::map<Key, const CatalogObject*> by_key;
  for (const auto& o : before) {
    by_key.emplace(Key{o.kind, o.oid, o.sub}, &o);
  }
  std::vector<const CatalogObject*> unmatched;
  for (const auto& o : after) {
    const auto it = by_key.find(Key{o.kind, o.oid, o.sub});
    if (it != by_key.end() && it->second) {
      pairs.push_back({it->second, &o});
      it->second = nullptr;
    } else {
      unmatched.push_back(&o);
    }
  }
  std::map<std::pair<std::string_view, std::string_view>, const CatalogObject*> by_label;
  for (const auto& [key, o] : by_key) {
    if (o) {
      by_label.emplace(std::pair<std::string_view, std::string_view>{o->kind, o->label}, o);
    }
  }
  for (const auto* o : unmatched) {
    const auto it = by_label.find({o->kind, o->label});
    if (it != by_label.end() && it->second) {
      pairs.push_back({it->second, o});
      it->second = nullptr;
    } else {
      added.push_back(o);
    }
  }
  for (const auto& [key, o] : by_label) {
    if (o) {
      dropped.push_back(o);
    }
  }
}

// The type changes of columns swapped in by expand-contract: in one table, X renamed to
// deprecated_X and another column (renamed or added since) now named X.
void
add_expand_contract(const std::vector<Pair>& renamed_columns, const std::vector<const CatalogObject*>& added,
                    std::vector<CatalogChange>& out)
{
  std::vector<const CatalogObject*> now_named;
  for (const auto& pair : renamed_columns) {
    now_named.push_back(pair.after);
  }
  for (const auto* o : added) {
    if (o->kind == "column") {
      now_named.push_back(o);
    }
  }
  for (const auto& old_column : renamed_columns) {
    if (old_column.after->name != "deprecated_" + old_column.before->name) {
      continue;
    }
    for (const auto* new_column : now_named) {
      if (new_column->oid != old_column.after->oid || new_column->name != old_column.before->name) {
        continue;
      }
      const auto from = attr(*old_column.before, "type");
      const auto to = attr(*new_column, "type");
      if (from != to) {
        auto c = change_of(ChangeKind::altered, *new_column);
        c.attribute = "type";
        c.before = from;
        c.after = to;
        c.note = fmt::format("expand-contract: the old column is kept as {}", old_column.after->name);
        out.push_back(std::move(c));
      }
    }
  }
}

// `text` with every identifier `from` (not part of a longer name) replaced by `to`.
std::string
with_name_replaced(const std::string& text, const std::string& from, const std::string& to)
{
  const auto part_of_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  std::string out;
  std::size_t pos = 0;
  for (auto found = text.find(from); found != std::string::npos; found = text.find(from, found + from.size())) {
    const bool starts = found == 0 || !part_of_name(text[found - 1]);
    const bool ends = found + from.size() == text.size() || !part_of_name(text[found + from.size()]);
    if (starts && ends) {
      out += text.substr(pos, found - pos) + to;
      pos = found + from.size();
    }
  }
  return out + text.substr(pos);
}

// Drops the definition changes of constraints and indexes that only follow a column's rename
// (CHECK ((amount > 0)) -> CHECK ((deprecated_amount > 0))): the rename is the change.
void
drop_rename_echoes(const std::vector<Pair>& renamed_columns, std::vector<CatalogChange>& out)
{
  if (renamed_columns.empty()) {
    return;
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const CatalogChange& c) {
                             if (c.change != ChangeKind::altered || c.attribute != "definition") {
                               return false;
                             }
                             auto text = c.before;
                             for (const auto& [b, a] : renamed_columns) {
                               text = with_name_replaced(text, b->name, a->name);
                             }
                             return text == c.after;
                           }),
            out.end());
}

} // namespace

std::string
attrs_json(const Attributes& attrs)
{
  return nlohmann::json(attrs).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Attributes
attributes_of(const CatalogObject& o)
{
  Attributes out;
  const auto parsed = nlohmann::json::parse(o.attrs, nullptr, false);
  if (parsed.is_object()) {
    for (const auto& [key, value] : parsed.items()) {
      out.emplace(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  return out;
}

std::string_view
to_string(ChangeKind kind)
{
  return k_change_names.name(kind);
}

std::optional<ChangeKind>
parse_change_kind(std::string_view text)
{
  return k_change_names.parse(text);
}

std::vector<CatalogChange>
catalog_changes(const Catalog& before, const Catalog& after)
{
  std::vector<Pair> pairs;
  std::vector<const CatalogObject*> added;
  std::vector<const CatalogObject*> dropped;
  match(before, after, pairs, added, dropped);

  // The columns, indexes and constraints of an added or dropped table go with it.
  const auto with_tables = [](std::vector<const CatalogObject*>& objects) {
    std::set<std::string> tables;
    for (const auto* o : objects) {
      if (o->kind == "table") {
        tables.insert(o->label + ".");
      }
    }
    objects.erase(std::remove_if(objects.begin(), objects.end(),
                                 [&](const CatalogObject* o) {
                                   if (!in_table(o->kind)) {
                                     return false;
                                   }
                                   const auto it = tables.upper_bound(o->label);
                                   return it != tables.begin() && o->label.rfind(*std::prev(it), 0) == 0;
                                 }),
                  objects.end());
  };
  with_tables(added);
  with_tables(dropped);

  std::vector<CatalogChange> out;
  for (const auto* o : added) {
    auto c = change_of(ChangeKind::added, *o);
    c.after = summary(*o);
    out.push_back(std::move(c));
  }
  for (const auto* o : dropped) {
    out.push_back(change_of(ChangeKind::dropped, *o));
  }
  std::vector<Pair> renamed_columns;
  for (const auto& [b, a] : pairs) {
    if (in_table(a->kind) ? a->name != b->name : a->label != b->label) {
      auto c = change_of(ChangeKind::renamed, *a);
      c.before = b->label;
      out.push_back(std::move(c));
      if (a->kind == "column") {
        renamed_columns.push_back({b, a});
      }
    }
    if (a->attrs == b->attrs) {
      continue;
    }
    const auto before_attrs = attributes_of(*b);
    const auto after_attrs = attributes_of(*a);
    std::set<std::string> keys;
    for (const auto& [k, v] : before_attrs) {
      keys.insert(k);
    }
    for (const auto& [k, v] : after_attrs) {
      keys.insert(k);
    }
    for (const auto& key : keys) {
      const auto from = attr(before_attrs, key);
      const auto to = attr(after_attrs, key);
      if (from != to) {
        auto c = change_of(ChangeKind::altered, *a);
        c.attribute = key;
        c.before = from;
        c.after = to;
        out.push_back(std::move(c));
      }
    }
  }
  add_expand_contract(renamed_columns, added, out);
  drop_rename_echoes(renamed_columns, out);
  std::stable_sort(out.begin(), out.end(), [](const CatalogChange& x, const CatalogChange& y) {
    return std::tuple(kind_rank(x.kind), x.change, x.object, x.attribute) <
           std::tuple(kind_rank(y.kind), y.change, y.object, y.attribute);
  });
  return out;
}

std::map<std::string, std::int64_t>
catalog_counts(const Catalog& catalog)
{
  std::map<std::string, std::int64_t> counts;
  for (const auto kind : k_catalog_kinds) {
    counts[std::string(kind)] = 0;
  }
  for (const auto& o : catalog) {
    ++counts[o.kind];
  }
  return counts;
}

std::string
describe(const CatalogChange& c)
{
  std::string text;
  switch (c.change) {
  case ChangeKind::added:
    text = fmt::format("added {} {}{}", c.kind, c.object, c.after.empty() ? "" : ": " + c.after);
    break;
  case ChangeKind::dropped:
    text = fmt::format("dropped {} {}", c.kind, c.object);
    break;
  case ChangeKind::renamed:
    text = fmt::format("renamed {} {} to {}", c.kind, c.before, in_table(c.kind) ? c.name : c.object);
    break;
  case ChangeKind::altered: {
    const auto value = [](const std::string& v) { return v.empty() ? std::string("none") : v; };
    if (c.attribute == "not_null") {
      text = fmt::format("{} {}: NOT NULL {}", c.kind, c.object, c.after == "yes" ? "added" : "dropped");
    } else if (c.attribute == "validated" && c.after == "yes") {
      text = fmt::format("{} {}: validated", c.kind, c.object);
    } else if (c.attribute == "valid") {
      text = fmt::format("{} {}: {}", c.kind, c.object, c.after == "yes" ? "valid again" : "turned invalid");
    } else if (c.attribute.size() > 4 && c.attribute.compare(c.attribute.size() - 4, 4, "_md5") == 0) {
      text = fmt::format("{} {}: {} changed", c.kind, c.object, c.attribute.substr(0, c.attribute.size() - 4));
    } else {
      text = fmt::format("{} {}: {} {} \xE2\x86\x92 {}", c.kind, c.object, c.attribute, value(c.before), value(c.after));
    }
    break;
  }
  }
  if (!c.note.empty()) {
    text += fmt::format(" ({})", c.note);
  }
  return text;
}

bool
notable(const CatalogChange& c)
{
  return c.change == ChangeKind::dropped || (c.change == ChangeKind::altered && c.attribute == "type") ||
         (c.change == ChangeKind::added && c.kind == "table");
}

void
read_across_upgrades(std::vector<SnapshotChanges>& history)
{
  for (std::size_t i = 1; i < history.size(); ++i) {
    auto& snapshot = history[i];
    const auto before = history[i - 1].server_major;
    if (before == 0 || snapshot.server_major == 0 || before == snapshot.server_major) {
      continue;
    }
    snapshot.upgraded_from = before;
    auto& changes = snapshot.changes;
    const auto reprinted = std::remove_if(changes.begin(), changes.end(), [](const CatalogChange& c) {
      return c.change == ChangeKind::altered && c.kind == "view" && c.attribute == "definition_md5";
    });
    snapshot.reprinted_views = static_cast<std::size_t>(changes.end() - reprinted);
    changes.erase(reprinted, changes.end());
  }
}

std::vector<DeprecationSpan>
deprecation_spans(const std::vector<SnapshotChanges>& history)
{
  std::vector<DeprecationSpan> spans;
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> keys; // per span
  for (const auto& snapshot : history) {
    for (const auto& c : snapshot.changes) {
      if (c.change == ChangeKind::renamed && c.name.rfind("deprecated_", 0) == 0) {
        spans.push_back(DeprecationSpan{c.kind, c.object, c.before, snapshot.taken_at, std::nullopt});
        keys.emplace_back(c.kind, c.oid, c.sub);
      } else if (c.change == ChangeKind::dropped) {
        for (std::size_t i = 0; i < spans.size(); ++i) {
          if (!spans[i].dropped_at && spans[i].kind == c.kind &&
              (keys[i] == std::tuple(c.kind, c.oid, c.sub) || spans[i].object == c.object)) {
            spans[i].dropped_at = snapshot.taken_at;
            spans[i].object = c.object;
            break;
          }
        }
      }
    }
  }
  return spans;
}

} // namespace model
