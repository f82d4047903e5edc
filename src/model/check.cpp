#include "model/check.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace model {

namespace {

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
  CheckDef def;
  def.source = std::string(source);
  std::string* last_value = nullptr;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  bool saw_id = false;
  bool saw_category = false;
  bool in_metadata = true;

  while (pos < text.size()) {
    const auto eol = text.find('\n', pos);
    const auto line = text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
    ++line_no;
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
    if (colon == std::string_view::npos) {
      last_value = nullptr;
      continue; // a plain comment line
    }
    const auto key = util::trim(trimmed.substr(0, colon));
    const auto value = std::string(util::trim(trimmed.substr(colon + 1)));
    last_value = nullptr;
    if (key == "id") {
      if (!valid_identifier(value)) {
        fail(source, line_no, "id must be lowercase letters, digits and _");
      }
      def.id = value;
      saw_id = true;
    } else if (key == "category") {
      if (!valid_identifier(value)) {
        fail(source, line_no, "category must be lowercase letters, digits and _");
      }
      def.category = value;
      saw_category = true;
    } else if (key == "title") {
      def.title = value;
      last_value = &def.title;
    } else if (key == "severity") {
      const auto s = parse_severity(value);
      if (!s) {
        fail(source, line_no, "severity must be info, low, medium, high or critical");
      }
      def.severity = *s;
    } else if (key == "effort") {
      const auto e = parse_effort(value);
      if (!e) {
        fail(source, line_no, "effort must be low, medium or high");
      }
      def.effort = *e;
    } else if (key == "kind") {
      if (value == "findings") {
        def.kind = CheckKind::findings;
      } else if (value == "metrics") {
        def.kind = CheckKind::metrics;
      } else {
        fail(source, line_no, "kind must be findings or metrics");
      }
    } else if (key == "cost") {
      if (value == "low" || value == "medium" || value == "high") {
        def.cost = value == "low" ? 1 : value == "medium" ? 2 : 3;
      } else {
        fail(source, line_no, "cost must be low, medium or high");
      }
    } else if (key == "needs") {
      def.needs = util::split(value, ',');
    } else if (key == "min_server") {
      int major = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), major);
      if (ec != std::errc() || ptr != value.data() + value.size() || major < 9 || major > 99) {
        fail(source, line_no, "min_server must be a major version such as 13");
      }
      def.min_server_major = major;
    } else if (key == "params") {
      for (const auto& item : split_params(value)) {
        const auto eq = item.find('=');
        const auto name = std::string(util::trim(item.substr(0, eq)));
        if (eq == std::string::npos || !valid_identifier(name)) {
          fail(source, line_no, "params must be name=default pairs separated by commas");
        }
        def.params.emplace_back(name, std::string(util::trim(item.substr(eq + 1))));
      }
    } else if (key == "rationale") {
      def.rationale = value;
      last_value = &def.rationale;
    } else {
      fail(source, line_no,
           fmt::format("unknown header key \"{}\"; expected id, category, title, severity, "
                       "effort, kind, cost, needs, min_server, params or rationale",
                       key));
    }
  }
  if (!saw_id) {
    fail(source, 1, "missing \"-- id: <check id>\" header line");
  }
  if (!saw_category && def.kind == CheckKind::findings) {
    fail(source, 1, "missing \"-- category: <category>\" header line");
  }
  if (def.title.empty()) {
    def.title = def.id;
  }
  def.sql = std::string(util::trim(text.substr(std::min(pos, text.size()))));
  if (def.sql.empty()) {
    fail(source, line_no, "no SQL after the header");
  }
  return def;
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
