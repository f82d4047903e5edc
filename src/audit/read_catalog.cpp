#include "audit/read_catalog.hpp"

#include "util/error.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>

namespace audit {

namespace {

constexpr const char* k_catalog_input = "catalog";
constexpr std::size_t k_catalog_page_rows = 5000;
// The query's value columns a1..a10 (queries/inputs/catalog.sql).
constexpr std::size_t k_catalog_values = 10;
// What pg_get_constraintdef() appends to a constraint not validated.
constexpr std::string_view k_not_valid = " NOT VALID";

const std::string&
text_of(const pg::Row& row, std::size_t column)
{
  static const std::string none;
  return column < row.size() && row[column] ? *row[column] : none;
}

std::vector<std::int64_t>
numbers(const std::string& text) // "1 0 3" (an int2vector)
{
  std::vector<std::int64_t> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t used = 0;
    out.push_back(std::stoll(text.substr(pos), &used));
    pos += used;
    while (pos < text.size() && text[pos] == ' ') {
      ++pos;
    }
  }
  return out;
}

// The names of `attr_names` ("type not_null default"), split once for the rows that repeat it.
const std::vector<std::string>&
names_of(const std::string& attr_names, std::string& last, std::vector<std::string>& names)
{
  if (attr_names == last && !names.empty()) {
    return names;
  }
  last = attr_names;
  names.clear();
  std::size_t pos = 0;
  while (pos < attr_names.size()) {
    const auto end = std::min(attr_names.find(' ', pos), attr_names.size());
    if (end > pos) {
      names.push_back(attr_names.substr(pos, end - pos));
    }
    pos = end + 1;
  }
  return names;
}

std::string
take(model::Attributes& attrs, const std::string& key)
{
  const auto it = attrs.find(key);
  if (it == attrs.end()) {
    return {};
  }
  auto value = std::move(it->second);
  attrs.erase(it);
  return value;
}

// What follows each key's name, as pg_get_indexdef() writes it (" COLLATE \"C\"",
// " text_pattern_ops", " gist_trgm_ops (siglen='32')"): the query's key_extras, a JSON array
// with a text per key, or nothing when no key has any.
std::vector<std::string>
key_extras(const std::string& json)
{
  std::vector<std::string> out;
  if (json.empty()) {
    return out;
  }
  for (const auto& extra : nlohmann::json::parse(json)) {
    out.push_back(extra.is_string() ? extra.get<std::string>() : std::string());
  }
  return out;
}

// Each index's definition from the attnums the query returns (`indexes`: the position of each
// index in `catalog`, whose attrs hold them as read): "USING btree (a text_pattern_ops, b COLLATE
// \"C\" DESC) INCLUDE (c) WHERE ...", its columns named as the catalog's columns of its table
// (quoted as in labels: `table_label_size` holds the size of each table's label), a key's operator
// class and collation only when not its default. `catalog` is finished; it is again after.
void
write_index_definitions(model::AuditCatalog& catalog,
                        const std::vector<std::size_t>& indexes,
                        const std::unordered_map<std::int64_t, std::size_t>& table_label_size)
{
  const auto column_name = [&](std::int64_t table, std::int64_t attnum) -> std::optional<std::string> {
    const auto position = catalog.find("column", table, attnum);
    if (!position) {
      return std::nullopt;
    }
    auto column = catalog.object(*position);
    const auto it = table_label_size.find(table);
    return it == table_label_size.end() ? column.name : column.label.substr(it->second + 1);
  };
  for (const auto position : indexes) {
    auto o = catalog.object(position);
    auto attrs = model::attributes_of(o);
    if (!attrs.count("keys")) {
      continue;
    }
    const auto table = std::stoll(take(attrs, "table_oid"));
    const auto keys = numbers(take(attrs, "keys"));
    const auto options = numbers(take(attrs, "options"));
    const auto key_count = static_cast<std::size_t>(std::stoll(take(attrs, "key_count")));
    auto expressions = take(attrs, "expressions");
    const auto extras = key_extras(take(attrs, "key_extras"));
    const auto expression_keys = std::count(keys.begin(), keys.end(), 0);
    std::string columns;
    std::string included;
    std::size_t expression = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string item;
      if (keys[i] == 0) {
        item = expression_keys == 1 ? "(" + expressions + ")" : fmt::format("(expression {})", ++expression);
      } else {
        item = column_name(table, keys[i]).value_or(fmt::format("column {}", keys[i]));
      }
      if (i < key_count) {
        if (i < extras.size()) {
          item += extras[i];
        }
        const auto option = i < options.size() ? options[i] : 0;
        const bool desc = option & 1;
        const bool nulls_first = option & 2;
        item += desc ? (nulls_first ? " DESC" : " DESC NULLS LAST") : (nulls_first ? " NULLS FIRST" : "");
        columns += (columns.empty() ? "" : ", ") + item;
      } else {
        included += (included.empty() ? "" : ", ") + item;
      }
    }
    auto definition = fmt::format("USING {} ({})", take(attrs, "method"), columns);
    if (!included.empty()) {
      definition += fmt::format(" INCLUDE ({})", included);
    }
    if (const auto where = take(attrs, "where"); !where.empty()) {
      definition += " WHERE " + where;
    }
    if (expression_keys > 1) {
      attrs["expressions"] = std::move(expressions);
    }
    attrs["definition"] = std::move(definition);
    o.attrs = model::attrs_json(attrs);
    catalog.replace(position, o);
  }
  catalog.finish();
}

} // namespace

std::shared_ptr<const model::AuditCatalog>
read_catalog(const Registry& registry, int server_major, pg::Session& session, std::vector<model::CheckTiming>& timings)
{
  const auto* input = registry.find_input(k_catalog_input);
  if (!input) {
    util::log(util::LogLevel::info, "no catalog recorded: no input {}", k_catalog_input);
    return nullptr;
  }
  try {
    auto catalog = std::make_shared<model::AuditCatalog>();
    std::vector<std::size_t> indexes; // their attnums named once all columns are read
    std::unordered_map<std::int64_t, std::size_t> table_label_size;
    std::string last_attr_names;
    std::vector<std::string> attr_name_list;
    const auto read_page = [&](pg::QueryResult&& page) {
      const auto column = [&](const char* name) {
        const auto index = page.column(name);
        if (!index) {
          throw util::Error(fmt::format("the input catalog returns no column {}", name));
        }
        return *index;
      };
      const auto kind = column("kind");
      const auto oid = column("oid");
      const auto sub = column("sub");
      const auto label = column("label");
      const auto name = column("name");
      const auto attr_names = column("attr_names");
      std::vector<std::size_t> value_columns;
      for (std::size_t i = 1; i <= k_catalog_values; ++i) {
        value_columns.push_back(column(fmt::format("a{}", i).c_str()));
      }
      model::CatalogObject o;
      for (auto& row : page.rows) {
        o.kind = text_of(row, kind);
        o.oid = std::stoll(text_of(row, oid));
        o.sub = std::stoll(text_of(row, sub));
        o.label = text_of(row, label);
        o.name = text_of(row, name);
        const auto& names = names_of(text_of(row, attr_names), last_attr_names, attr_name_list);
        if (names.size() > value_columns.size()) {
          throw util::Error(fmt::format("the input catalog names {} attributes of a {}, and returns {} values",
                                        names.size(), o.kind, value_columns.size()));
        }
        // a null value left out; the keys sorted, as the history compares them
        model::Attributes values;
        for (std::size_t i = 0; i < names.size(); ++i) {
          if (auto& value = row[value_columns[i]]) {
            values.emplace(names[i], std::move(*value));
          }
        }
        if (o.kind == "constraint") {
          // NOT VALID is what validated says: a validation changes that alone
          if (auto it = values.find("definition"); it != values.end() && it->second.ends_with(k_not_valid)) {
            it->second.resize(it->second.size() - k_not_valid.size());
          }
        }
        o.attrs = model::attrs_json(values);
        if (o.kind == "index") {
          indexes.push_back(catalog->size());
        } else if (o.kind == "table") {
          table_label_size.emplace(o.oid, o.label.size());
        }
        catalog->add(o);
      }
    };
    // In pages: the whole result, as the server's rows and as text, took more memory than the
    // catalog made of it (70 MB for 87,000 objects).
    const auto elapsed =
      session.run_in_pages("input catalog", input->sql_for(server_major), {}, k_catalog_page_rows, read_page);
    catalog->finish();
    write_index_definitions(*catalog, indexes, table_label_size);
    const double ms = static_cast<double>(elapsed.count()) / 1000.0;
    timings.push_back(model::CheckTiming{k_catalog_input, ms, catalog->size()});
    util::log(util::LogLevel::info, "input catalog: {} objects in {:.0f} ms", catalog->size(), ms);
    return catalog;
  } catch (const pg::QueryFailed& e) {
    util::log(util::LogLevel::info, "no catalog recorded: {}", e.what());
  } catch (const util::Error& e) {
    util::log(util::LogLevel::info, "no catalog recorded: {}", e.what());
  } catch (const nlohmann::json::exception& e) {
    util::log(util::LogLevel::info, "no catalog recorded: unexpected value in the input catalog ({})", e.what());
  } catch (const std::logic_error& e) { // std::invalid_argument, std::out_of_range from a number
    util::log(util::LogLevel::info, "no catalog recorded: unexpected value in the input catalog ({})", e.what());
  }
  return nullptr;
}

} // namespace audit
