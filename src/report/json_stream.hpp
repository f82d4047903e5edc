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

// Writes `count` items between `open` and `close` as dump(2) does at `indent`: each on a line of
// its own, two spaces deeper, `write(i)` writing item i; "{}" or "[]" when there is none.
template<typename Write>
void
write_block(char open, char close, std::size_t count, std::ostream& out, unsigned indent, Write&& write)
{
  if (count == 0) {
    out << open << close;
    return;
  }
  const std::string inner(indent + 2, ' ');
  out << open << '\n';
  for (std::size_t i = 0; i < count; ++i) {
    out << inner;
    write(i);
    out << (i + 1 < count ? ",\n" : "\n");
  }
  out << std::string(indent, ' ') << close;
}

// Writes `value` as write_json(to_json(value), out, indent) writes it, byte for byte, without
// the whole document in memory: a described value field by field in the JSON's key order (its
// fields() called once per field), a long list item by item. The JSON report of a large
// database (29,000 findings, each a card in full) took ~500 MB as one nlohmann tree.
template<typename T>
void
stream_json(const T& value, std::ostream& out, unsigned indent)
{
  if constexpr (Described<T>) {
    fields_detail::KeyFields keys;
    value.fields(keys);
    auto& names = keys.keys;
    std::sort(names.begin(), names.end()); // nlohmann's objects are ordered by key
    names.erase(std::unique(names.begin(), names.end()), names.end());
    write_block('{', '}', names.size(), out, indent, [&](std::size_t i) {
      write_json(nlohmann::json(names[i]), out);
      out << ": ";
      fields_detail::OneField one(names[i], out, indent + 2);
      value.fields(one);
    });
  } else if constexpr (fields_detail::is_optional<T>::value) {
    if (value) {
      stream_json(*value, out, indent);
    } else {
      out << "null";
    }
  } else if constexpr (fields_detail::is_vector<T>::value) {
    write_block('[', ']', value.size(), out, indent, [&](std::size_t i) {
      if (value.size() >= k_streamed_items) {
        write_json(to_json(value[i]), out, indent + 2);
      } else {
        stream_json(value[i], out, indent + 2);
      }
    });
  } else {
    write_json(to_json(value), out, indent);
  }
}

} // namespace report
