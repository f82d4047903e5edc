#include "model/check.hpp"

#include "util/enum_names.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace model {

namespace {

constexpr util::EnumNames<CheckKind, 3> k_check_kind_names({"findings", "metrics", "input"});
constexpr util::EnumNames<TrendChart, 3> k_trend_chart_names({"none", "unused_index_size", "bloat"});
constexpr util::EnumNames<ReportSection, 2> k_report_section_names({"none", "deprecation_board"});
constexpr util::EnumNames<GroupBy, 3> k_group_by_names({"object", "table", "check"});

[[noreturn]] void
fail(std::string_view source, std::size_t line, std::string_view what)
{
  throw util::Fatal(util::ExitCode::config, fmt::format("{}:{}: {}", source, line, what));
}

bool
valid_identifier(std::string_view id)
{
  if (id.empty() || id.size() > 63) {
    return false;
  }
  for (const char c : id) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// "a=1, b={x,y}" -> {"a=1", "b={x,y}"}: commas inside an array literal do not split.
std::vector<std::string>
split_params(std::string_view value)
{
  std::vector<std::string> items;
  std::string current;
  int depth = 0;
  for (const char c : value) {
    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (c == ',' && depth == 0) {
      items.emplace_back(util::trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!util::trim(current).empty()) {
    items.emplace_back(util::trim(current));
  }
  return items;
}

// The header of a query file being read: the check it fills and the line it is on.
struct Header
{
  CheckDef def;
  std::string_view source;
  std::size_t line = 0;
  bool saw_id = false;
  bool saw_category = false;

  [[noreturn]] void fail(std::string_view what) const { model::fail(source, line, what); }

  // The value a header's text parsed to, or the error `what` when it did not parse.
  template<typename T>
  T parsed(const std::optional<T>& value, std::string_view what) const
  {
    if (!value) {
      fail(what);
    }
    return *value;
  }

  // Sets header key `key` to `value`; returns the value a continuation line extends (title,
  // grading, rationale), else null.
  std::string* set(std::string_view key, std::string value);
};

using KeySetter = void (*)(Header& h, std::string value);

// `value` when it is lowercase letters, digits and _ (an id or a category), else the error.
std::string
identifier(const Header& h, std::string value, std::string_view key)
{
  if (!valid_identifier(value)) {
    h.fail(fmt::format("{} must be lowercase letters, digits and _", key));
  }
  return value;
}

void
set_id(Header& h, std::string value)
{
  h.def.id = identifier(h, std::move(value), "id");
  h.saw_id = true;
}

void
set_category(Header& h, std::string value)
{
  h.def.category = identifier(h, std::move(value), "category");
  h.saw_category = true;
}

// "medium" (every finding), "medium..critical" (from the lower to the upper, which is the
// default), or "low..medium, default medium".
void
set_severity(Header& h, std::string value)
{
  constexpr std::string_view k_what = "severity must be a severity (info, low, medium, high or critical), a range "
                                      "such as medium..critical, or a range and its default: low..medium, default medium";
  std::string_view text = value;
  std::optional<Severity> fallback;
  if (const auto comma = text.find(','); comma != std::string_view::npos) {
    const auto rest = util::trim(text.substr(comma + 1));
    if (!rest.starts_with("default ")) {
      h.fail(k_what);
    }
    fallback = h.parsed(parse_severity(util::trim(rest.substr(8))), k_what);
    text = util::trim(text.substr(0, comma));
  }
  const auto dots = text.find("..");
  const auto lowest = h.parsed(parse_severity(util::trim(text.substr(0, dots))), k_what);
  const auto highest = dots == std::string_view::npos ? lowest : h.parsed(parse_severity(util::trim(text.substr(dots + 2))), k_what);
  if (highest < lowest) {
    h.fail("severity: a range goes from the lower severity to the higher (info..critical)");
  }
  if (fallback && (*fallback < lowest || *fallback > highest)) {
    h.fail("severity: the default must be within the range");
  }
  h.def.severity = fallback.value_or(lowest);
  h.def.severity_range = {lowest, highest};
}

void
set_cost(Header& h, std::string value)
{
  // The same three words as effort: 1 (low) to 3 (high).
  h.def.cost = static_cast<int>(h.parsed(parse_effort(value), "cost must be low, medium or high")) + 1;
}

void
set_min_server(Header& h, std::string value)
{
  int major = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), major);
  if (ec != std::errc() || ptr != value.data() + value.size() || major < 9 || major > 99) {
    h.fail("min_server must be a major version such as 13");
  }
  h.def.min_server_major = major;
}

// "a=1, b={x,y}, grace_days=(config)": name=default pairs; the default k_config_default takes
// the config's value of that name.
void
set_params(Header& h, std::string value)
{
  for (const auto& item : split_params(value)) {
    const auto eq = item.find('=');
    const auto name = std::string(util::trim(item.substr(0, eq)));
    if (eq == std::string::npos || !valid_identifier(name)) {
      h.fail("params must be name=default pairs separated by commas");
    }
    auto fallback = std::string(util::trim(item.substr(eq + 1)));
    if (fallback == k_config_default) {
      h.def.config_params.push_back(name);
      fallback.clear();
    }
    h.def.params.emplace_back(name, std::move(fallback));
  }
}

// "a, b": the names of queries/inputs/<name>.sql files (the registry checks that they exist).
void
set_inputs(Header& h, std::string value)
{
  for (auto& name : util::split(value, ',')) {
    if (!valid_identifier(name)) {
      h.fail("input must be input names (lowercase letters, digits and _) separated by commas");
    }
    h.def.inputs.push_back(std::move(name));
  }
}

// "1000": the rows of each page of an input read in pages.
void
set_pages(Header& h, std::string value)
{
  std::size_t rows = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), rows);
  if (ec != std::errc() || ptr != value.data() + value.size() || rows == 0) {
    h.fail("pages must be the number of rows of a page, such as 1000");
  }
  h.def.page_rows = rows;
}

// Every header key, in the order the error for an unknown one lists them.
const std::pair<std::string_view, KeySetter> k_header_keys[] = {
  {"id", set_id},
  {"category", set_category},
  {"area", [](Header& h, std::string v) { h.def.area = identifier(h, std::move(v), "area"); }},
  {"title", [](Header& h, std::string v) { h.def.title = std::move(v); }},
  {"severity", set_severity},
  {"effort", [](Header& h, std::string v) { h.def.effort = h.parsed(parse_effort(v), "effort must be low, medium or high"); }},
  {"kind", [](Header& h, std::string v) { h.def.kind = h.parsed(k_check_kind_names.parse(v), "kind must be findings, metrics or input"); }},
  {"cost", set_cost},
  {"needs", [](Header& h, std::string v) { h.def.needs = util::split(v, ','); }},
  {"min_server", set_min_server},
  {"params", set_params},
  {"input", set_inputs},
  {"pages", set_pages},
  {"trend", [](Header& h, std::string v) { h.def.trend = h.parsed(k_trend_chart_names.parse(v), "trend must be unused_index_size or bloat"); }},
  {"report", [](Header& h, std::string v) { h.def.report_section = h.parsed(k_report_section_names.parse(v), "report must be deprecation_board"); }},
  {"group", [](Header& h, std::string v) { h.def.group_by = h.parsed(k_group_by_names.parse(v), "group must be object, table or check"); }},
  {"grading", [](Header& h, std::string v) { h.def.grading = std::move(v); }},
  {"rationale", [](Header& h, std::string v) { h.def.rationale = std::move(v); }},
};

std::string*
Header::set(std::string_view key, std::string value)
{
  for (const auto& [name, setter] : k_header_keys) {
    if (name == key) {
      setter(*this, std::move(value));
      return key == "title" ? &def.title : key == "grading" ? &def.grading
             : key == "rationale" ? &def.rationale : nullptr;
    }
  }
  std::string known;
  for (std::size_t i = 0; i < std::size(k_header_keys); ++i) {
    known += fmt::format("{}{}", i == 0 ? "" : i + 1 == std::size(k_header_keys) ? " or " : ", ", k_header_keys[i].first);
  }
  fail(fmt::format("unknown header key \"{}\"; expected {}", key, known));
}

} // namespace

const std::string&
CheckDef::sql_for(int major) const
{
  const std::string* best = &sql;
  for (const auto& [min_major, variant] : variants) {
    if (min_major <= major) {
      best = &variant;
    }
  }
  return *best;
}

std::string_view
to_string(TrendChart chart)
{
  return k_trend_chart_names.name(chart);
}

std::string_view
to_string(ReportSection section)
{
  return k_report_section_names.name(section);
}

std::string_view
to_string(GroupBy group_by)
{
  return k_group_by_names.name(group_by);
}

std::string_view
to_string(ParamType type)
{
  switch (type) {
  case ParamType::integer:
  case ParamType::big_integer:
    return "a whole number";
  case ParamType::number:
    return "a number";
  case ParamType::boolean:
    return "true or false";
  case ParamType::text:
    return "a string";
  case ParamType::array:
    return "an array of strings";
  }
  return "?";
}

std::optional<ParamType>
CheckDef::param_type(std::size_t index) const
{
  const auto placeholder = fmt::format("${}::", index + 1);
  const auto at = sql.find(placeholder);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  auto end = at + placeholder.size();
  while (end < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) {
    ++end;
  }
  const auto type = std::string_view(sql).substr(at + placeholder.size(), end - at - placeholder.size());
  if (std::string_view(sql).substr(end, 2) == "[]") {
    return ParamType::array;
  }
  static const std::map<std::string_view, ParamType> types = {
    {"int", ParamType::integer},      {"int4", ParamType::integer},    {"integer", ParamType::integer},
    {"smallint", ParamType::integer}, {"int2", ParamType::integer},    {"bigint", ParamType::big_integer},
    {"int8", ParamType::big_integer}, {"numeric", ParamType::number},  {"real", ParamType::number},
    {"float4", ParamType::number},    {"float8", ParamType::number},   {"double", ParamType::number},
    {"boolean", ParamType::boolean},  {"bool", ParamType::boolean},    {"text", ParamType::text},
  };
  const auto it = types.find(type);
  return it == types.end() ? std::nullopt : std::optional<ParamType>(it->second);
}

std::pair<std::string, int>
split_query_file_name(std::string_view file_name)
{
  std::string_view stem = file_name.substr(0, file_name.rfind(".sql"));
  const auto dot = stem.rfind(".pg");
  if (dot != std::string_view::npos) {
    int major = 0;
    const auto digits = stem.substr(dot + 3);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), major);
    if (ec == std::errc() && ptr == digits.data() + digits.size() && major > 0) {
      return {std::string(stem.substr(0, dot)), major};
    }
  }
  return {std::string(stem), 0};
}

CheckDef
parse_check(std::string_view source, std::string_view text)
{
  Header header{CheckDef{}, source};
  header.def.source = std::string(source);
  std::string* last_value = nullptr;
  std::size_t pos = 0;
  bool in_metadata = true;

  while (pos < text.size()) {
    const auto eol = text.find('\n', pos);
    const auto line = text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
    ++header.line;
    if (line.substr(0, 2) != "--") {
      break;
    }
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    const auto body = line.substr(2);
    const auto trimmed = util::trim(body);
    if (trimmed.empty()) {
      in_metadata = false; // a bare "--" ends the metadata; free comments may follow
      continue;
    }
    if (!in_metadata) {
      continue;
    }
    // "--   more text" continues the previous value.
    if (body.size() >= 3 && body.substr(0, 3) == "   " && last_value) {
      *last_value += " ";
      *last_value += trimmed;
      continue;
    }
    const auto colon = trimmed.find(':');
    // A line without a colon is a plain comment.
    last_value = colon == std::string_view::npos
                   ? nullptr
                   : header.set(util::trim(trimmed.substr(0, colon)), std::string(util::trim(trimmed.substr(colon + 1))));
  }
  if (!header.saw_id) {
    fail(source, 1, "missing \"-- id: <check id>\" header line");
  }
  auto& def = header.def;
  if (def.kind == CheckKind::input && (!def.params.empty() || !def.inputs.empty())) {
    fail(source, 1, "an input takes no params and no inputs: it is read once for every check that declares it");
  }
  if (def.page_rows > 0 && def.kind != CheckKind::input) {
    fail(source, 1, "only an input is read in pages (\"-- pages:\")");
  }
  if (!header.saw_category && def.kind == CheckKind::findings) {
    fail(source, 1, "missing \"-- category: <category>\" header line");
  }
  if (def.title.empty()) {
    def.title = def.id;
  }
  def.sql = std::string(util::trim(text.substr(std::min(pos, text.size()))));
  if (def.sql.empty()) {
    fail(source, header.line, "no SQL after the header");
  }
  return std::move(def);
}

std::string
to_string(const SeverityRange& range)
{
  return range.lowest == range.highest ? std::string(to_string(range.lowest))
                                       : fmt::format("{}..{}", to_string(range.lowest), to_string(range.highest));
}

const CheckDef*
find_check(const std::vector<CheckDef>& checks, std::string_view id)
{
  for (const auto& c : checks) {
    if (c.id == id) {
      return &c;
    }
  }
  return nullptr;
}

} // namespace model
