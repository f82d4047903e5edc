#pragma once

#include "report/fields.hpp"
#include "report/json_writer.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace report {

// A list at least this long is written item by item, each item built as JSON on its own; a
// shorter one is written as its items' fields are (the databases of a report, the entries).
inline constexpr std::size_t k_streamed_items = 256;

template<typename T>
void stream_json(const T& value, std::ostream& out, unsigned indent);

namespace fields_detail {

// The keys of a described value, as its fields() lists them (view fields are not data).
class KeyFields
{
public:
  bool wants(std::string_view) const { return true; }

  template<typename T>
  void operator()(std::string_view key, const T&)
  {
    keys.emplace_back(key);
  }

  template<typename Fn>
  void view(Format, std::string_view, Fn&&)
  {
  }

  std::vector<std::string> keys;
};

// Writes the field `key` of a described value, while its fields() hands it over (a field may be
// a temporary that lives only as long as that call).
class OneField
{
public:
  OneField(std::string_view key, std::ostream& out, unsigned indent) : m_key(key), m_out(out), m_indent(indent) {}

  bool wants(std::string_view) const { return true; }

  template<typename T>
  void operator()(std::string_view key, const T& value)
  {
    if (key == m_key) {
      stream_json(value, m_out, m_indent);
    }
  }

  template<typename Fn>
  void view(Format, std::string_view, Fn&&)
  {
  }

private:
  std::string_view m_key;
  std::ostream& m_out;
  unsigned m_indent;
};

} // namespace fields_detail

// Writes `value` as write_json(to_json(value), out, indent) writes it, byte for byte, without
// the whole document in memory: a described value field by field in the JSON's key order (its
// fields() called once per field), a long list item by item. The JSON report of a large
// database (29,000 findings, each a card in full) took ~500 MB as one nlohmann tree.
template<typename T>
void
stream_json(const T& value, std::ostream& out, unsigned indent)
{
  const std::string inner(indent + 2, ' ');
  if constexpr (Described<T> && !std::is_same_v<T, nlohmann::json>) {
    fields_detail::KeyFields keys;
    value.fields(keys);
    auto& names = keys.keys;
    std::sort(names.begin(), names.end()); // nlohmann's objects are ordered by key
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      out << inner;
      write_json(nlohmann::json(names[i]), out);
      out << ": ";
      fields_detail::OneField one(names[i], out, indent + 2);
      value.fields(one);
      out << (i + 1 < names.size() ? ",\n" : "\n");
    }
    out << std::string(indent, ' ') << '}';
  } else if constexpr (fields_detail::is_optional<T>::value) {
    if (value) {
      stream_json(*value, out, indent);
    } else {
      out << "null";
    }
  } else if constexpr (fields_detail::is_vector<T>::value) {
    if (value.empty()) {
      out << "[]";
      return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out << inner;
      if (value.size() >= k_streamed_items) {
        write_json(to_json(value[i]), out, indent + 2);
      } else {
        stream_json(value[i], out, indent + 2);
      }
      out << (i + 1 < value.size() ? ",\n" : "\n");
    }
    out << std::string(indent, ' ') << ']';
  } else {
    write_json(to_json(value), out, indent);
  }
}

} // namespace report
