#pragma once

#include "util/parallel.hpp"
#include "util/time.hpp"

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace report {

// What a report is rendered as. Templates of one format may use view fields, values only that
// format shows (HTML: the inline "svg" of each chart).
enum class Format { html, markdown, json, text };

// The format a --format value names: "html", "markdown", "json" or "text" (the commands accept
// only those).
inline Format
format_named(std::string_view name)
{
  return name == "json" ? Format::json : name == "markdown" ? Format::markdown : name == "html" ? Format::html : Format::text;
}

namespace fields_detail {

// A visitor that accepts any field; only for the Described concept.
struct Probe
{
  bool wants(std::string_view) const { return true; }
  template<typename T>
  void operator()(std::string_view, const T&)
  {
  }
  template<typename Fn>
  void view(Format, std::string_view, Fn&&)
  {
  }
};

template<typename T>
struct is_optional : std::false_type
{
};
template<typename T>
struct is_optional<std::optional<T>> : std::true_type
{
};

template<typename T>
struct is_vector : std::false_type
{
};
template<typename T, typename A>
struct is_vector<std::vector<T, A>> : std::true_type
{
};

} // namespace fields_detail

// A type of the report model lists its fields once, in a member
//
//   template<typename Fields>
//   void fields(Fields& f) const
//   {
//     f("key", member);                                   // in the JSON and the templates
//     REPORT_FIELDS(a, b);                                // f("a", a), f("b", b) (below)
//     f.view(Format::html, "svg", [&] { return ...; });   // in the templates of one format only
//   }
//
// and the rest is derived from that list: the JSON (to_json below), the templates' data
// (render.cpp) and the names a template may use (type_shape below). f.wants("key") says
// whether a field is read at all, so a costly one is only computed when it is. A default-made
// value must list every field it can have: type_shape walks one.
//
// Values of fields: bool, integers, double, strings, std::optional and std::vector of values,
// other described types, and nlohmann::json (data the report passes on unchanged: evidence).
// REPORT_FIELDS(a, b) in a fields() body lists the fields whose key is the member's own name:
// f("a", a), f("b", b). Each name is written once, as nlohmann's NLOHMANN_DEFINE_TYPE_INTRUSIVE
// writes it (its NLOHMANN_JSON_PASTE applies a macro to every argument).
#define REPORT_FIELD(member) f(#member, member),
#define REPORT_FIELDS(...) (NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(REPORT_FIELD, __VA_ARGS__)) void())
// REPORT_DESCRIBE(a, b) in a type is its whole fields(): every field a member, under its own name.
#define REPORT_DESCRIBE(...)                                                                       \
  template<typename Fields>                                                                        \
  void fields(Fields& f) const                                                                     \
  {                                                                                                \
    REPORT_FIELDS(__VA_ARGS__);                                                                    \
  }

template<typename T>
concept Described = requires(const T& value, fields_detail::Probe& probe) { value.fields(probe); };

// Version of the JSON layout of reports and diffs; bump on any incompatible change
// (docs/report-json.md).
inline constexpr int k_schema_version = 2;

// The keys a report's or a diff's JSON document starts with: its layout's version, the tool's,
// and when it was made.
template<typename Fields>
void
document_fields(Fields& f, int schema_version, std::int64_t generated_at)
{
  f("schema_version", schema_version);
  f("tool_version", SCHEMA_AUDIT_VERSION);
  f("generated_at", util::format_iso(generated_at));
}

// Lists at least this long are converted on two threads (the fix-first list of a large database).
inline constexpr std::size_t k_parallel_items = 2000;

template<typename T>
nlohmann::json to_json(const T& value);

namespace fields_detail {

// Writes each field into a JSON object; view fields are not data and are left out.
class JsonFields
{
public:
  explicit JsonFields(nlohmann::json& out) : m_out(out) {}

  bool wants(std::string_view) const { return true; }

  template<typename T>
  void operator()(std::string_view key, const T& value)
  {
    m_out[std::string(key)] = to_json(value);
  }

  template<typename Fn>
  void view(Format, std::string_view, Fn&&)
  {
  }

private:
  nlohmann::json& m_out;
};

} // namespace fields_detail

// `value` (a described type, or any field value) as JSON.
template<typename T>
nlohmann::json
to_json(const T& value)
{
  if constexpr (std::is_same_v<T, nlohmann::json>) {
    return value;
  } else if constexpr (Described<T>) {
    nlohmann::json out = nlohmann::json::object();
    fields_detail::JsonFields writer(out);
    value.fields(writer);
    return out;
  } else if constexpr (fields_detail::is_optional<T>::value) {
    return value ? to_json(*value) : nlohmann::json(nullptr);
  } else if constexpr (fields_detail::is_vector<T>::value) {
    nlohmann::json::array_t items(value.size());
    util::in_two_halves(value.size(), k_parallel_items, [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        items[i] = to_json(value[i]);
      }
    });
    return nlohmann::json(std::move(items));
  } else {
    return nlohmann::json(value);
  }
}

template<typename T>
nlohmann::json type_shape(Format format);

namespace fields_detail {

// Writes the shape of each field's type; view fields only for the format they belong to.
class ShapeFields
{
public:
  ShapeFields(nlohmann::json& out, Format format) : m_out(out), m_format(format) {}

  bool wants(std::string_view) const { return true; }

  template<typename T>
  void operator()(std::string_view key, const T&)
  {
    m_out[std::string(key)] = type_shape<T>(m_format);
  }

  template<typename Fn>
  void view(Format format, std::string_view key, Fn&&)
  {
    if (format == m_format) {
      m_out[std::string(key)] = type_shape<std::decay_t<std::invoke_result_t<Fn>>>(m_format);
    }
  }

private:
  nlohmann::json& m_out;
  Format m_format;
};

} // namespace fields_detail

// The names a template of `format` may use on a value of type T, from its fields() alone: an
// object per described type, a list of one element per vector, true for a bool, "" for any
// other value, and null for JSON passed on unchanged (any name below it may exist).
template<typename T>
nlohmann::json
type_shape(Format format)
{
  if constexpr (std::is_same_v<T, nlohmann::json>) {
    return nullptr;
  } else if constexpr (Described<T>) {
    nlohmann::json out = nlohmann::json::object();
    fields_detail::ShapeFields writer(out, format);
    T{}.fields(writer);
    return out;
  } else if constexpr (fields_detail::is_optional<T>::value) {
    return type_shape<typename T::value_type>(format);
  } else if constexpr (fields_detail::is_vector<T>::value) {
    return nlohmann::json::array({type_shape<typename T::value_type>(format)});
  } else if constexpr (std::is_same_v<T, bool>) {
    return true;
  } else {
    return "";
  }
}

} // namespace report
