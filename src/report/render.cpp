#include "report/render.hpp"

#include "report/audit_output.hpp"
#include "report/json_writer.hpp"
#include "report/sample.hpp"
#include "report/trends.hpp"
#include "util/embedded_files.hpp"
#include "util/error.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace report {

namespace {

namespace mustache = kainjow::mustache;
using nlohmann::json;

bool
is_chart(const json& value)
{
  if (!value.is_object()) {
    return false;
  }
  const auto kind = value.find("kind");
  return kind != value.end() && kind->is_string() && value.contains("series") && value["series"].is_array()
         && value.contains("labels") && value["labels"].is_array() && value.contains("unit");
}

// What the templates of `format` see beside an object's own fields: HTML gets "svg" next to
// each chart's data; Markdown gets "remediation_indented" and "undo_indented" (indented code
// blocks no identifier can break out of) next to each "remediation" and "undo".
json
view_fields(const json& value, Format format)
{
  json out = json::object();
  if (format == Format::html && is_chart(value)) {
    out["svg"] = chart_svg(value);
  }
  for (const char* sql_key : {"remediation", "undo"}) {
    if (format != Format::markdown || !value.contains(sql_key) || !value[sql_key].is_string()) {
      continue;
    }
    std::string indented;
    // A carriage return ends a Markdown line too: treat it as a line break, so every line is indented.
    auto text = value[sql_key].get<std::string>();
    std::replace(text.begin(), text.end(), '\r', '\n');
    for (const auto& line : util::split(text, '\n')) {
      indented += "    " + line + "\n";
    }
    out[std::string(sql_key) + "_indented"] = indented;
  }
  return out;
}

// `value` with its view_fields() added at every level (evidence is data, not view: left alone).
void
prepare(json& value, Format format)
{
  if (value.is_array()) {
    for (auto& item : value) {
      prepare(item, format);
    }
    return;
  }
  if (!value.is_object()) {
    return;
  }
  for (auto& [key, item] : value.items()) {
    if (key != "evidence") {
      prepare(item, format);
    }
  }
  value.update(view_fields(value, format));
}

// Lists at least this long are converted on two threads.
constexpr std::size_t k_parallel_items = 2000;

// JSON values as mustache data: objects, lists, text; numbers as text, null as false; with the
// view_fields() of every object but inside evidence. Only keys in `used` (the names the
// template has) are converted: no other key can be rendered. One pass, no copy of the model.
mustache::data
to_data(const json& value, Format format, const std::unordered_set<std::string>& used, bool view = true)
{
  switch (value.type()) {
  case json::value_t::object: {
    mustache::data out{mustache::data::type::object};
    for (const auto& [key, item] : value.items()) {
      if (used.count(key)) {
        out[key] = to_data(item, format, used, view && key != "evidence"); // moved in: set() copies
      }
    }
    if (view) {
      const auto extra = view_fields(value, format);
      for (const auto& [key, item] : extra.items()) {
        if (used.count(key)) {
          out[key] = to_data(item, format, used, false);
        }
      }
    }
    return out;
  }
  case json::value_t::array: {
    mustache::data out{mustache::data::type::list};
    // kainjow offers no moving push_back; its list is an ordinary non-const vector it owns.
    auto& list = const_cast<mustache::list&>(out.list_value());
    list.resize(value.size());
    // The fix-first list of a large database has thousands of items: converted on two threads
    // (the conversion only reads the model and the used names).
    util::in_two_halves(value.size(), k_parallel_items, [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        list[i] = to_data(value[i], format, used, view);
      }
    });
    return out;
  }
  case json::value_t::boolean:
    return value.get<bool>() ? mustache::data{mustache::data::type::bool_true}
                             : mustache::data{mustache::data::type::bool_false};
  case json::value_t::null:
  case json::value_t::discarded:
    return mustache::data{mustache::data::type::bool_false};
  case json::value_t::string:
    return mustache::data{value.get<std::string>()};
  case json::value_t::number_float:
    return mustache::data{fmt::format("{:.1f}", value.get<double>())};
  default:
    return mustache::data{value.dump()};
  }
}

struct Template
{
  std::string source; // file name for messages
  std::string text;
};

Template
load_template(const std::string& name, const std::optional<std::filesystem::path>& dir)
{
  if (dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec)) {
      throw util::Fatal(util::ExitCode::report, fmt::format("--templates {}: not a directory", dir->string()));
    }
    const auto path = *dir / name;
    if (std::filesystem::exists(path, ec)) {
      if (!std::filesystem::is_regular_file(path, ec)) {
        throw util::Fatal(util::ExitCode::report,
                          fmt::format("{}: not a file; a template override must be a text file", path.string()));
      }
      std::ifstream in(path, std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      if (!in) {
        throw util::Fatal(util::ExitCode::report, fmt::format("{}: cannot read the template", path.string()));
      }
      return Template{path.string(), content.str()};
    }
  }
  const auto embedded = "templates/" + name;
  for (const auto& file : util::embedded_files()) {
    if (file.path == embedded) {
      return Template{embedded, std::string(file.content)};
    }
  }
  throw util::Fatal(util::ExitCode::report, fmt::format("no template {}", name));
}

// kainjow reports "... at <offset>"; turn the offset into a line number.
std::string
located_error(const Template& t, const std::string& message)
{
  const auto at = message.rfind(" at ");
  if (at != std::string::npos) {
    try {
      const auto offset = std::stoul(message.substr(at + 4));
      return fmt::format("{}:{}: {}", t.source, util::line_of(t.text, offset), message.substr(0, at));
    } catch (const std::exception&) {
      // Not an offset; fall through.
    }
  }
  return fmt::format("{}: {}", t.source, message);
}

void
merge_shape(json& into, const json& from)
{
  if (from.is_object()) {
    if (!into.is_object()) {
      into = json::object();
    }
    for (const auto& [key, item] : from.items()) {
      merge_shape(into[key], item);
    }
  } else if (from.is_array()) {
    if (!into.is_array()) {
      into = json::array();
    }
    if (into.empty() && !from.empty()) {
      into.push_back(nullptr);
    }
    for (const auto& item : from) {
      merge_shape(into[0], item);
    }
  } else if (into.is_null()) {
    into = from.is_boolean() ? json(true) : json("");
  }
}

// Renders `model` through template `name` with `escape` for values.
void
render_template(const json& model,
                const std::string& name,
                Format format,
                const json& sample,
                const std::optional<std::filesystem::path>& templates_dir,
                std::ostream& out)
{
  const auto t = load_template(name, templates_dir);
  mustache::mustache tmpl(t.text);
  if (!tmpl.is_valid()) {
    throw util::Fatal(util::ExitCode::report, located_error(t, tmpl.error_message()));
  }
  // The model's names, plus the view fields, which the prepared sample has wherever they occur.
  auto shape = shape_of(model);
  auto prepared_sample = sample;
  prepare(prepared_sample, format);
  merge_shape(shape, shape_of(prepared_sample));
  const auto used = validate_template(t.source, t.text, shape);
  if (format == Format::markdown) {
    tmpl.set_custom_escape(markdown_escape);
  }
  tmpl.render(to_data(model, format, used), [&out](const std::string& chunk) { out << chunk; });
  if (!tmpl.is_valid()) {
    throw util::Fatal(util::ExitCode::report, located_error(t, tmpl.error_message()));
  }
}

// The resolution context of one open section.
struct Frame
{
  std::string name;
  const json* context; // null: the section does not change the context
  std::size_t line;
};

const json*
resolve(const std::vector<Frame>& stack, const json& root, const std::string& name)
{
  if (name == ".") {
    return &root;
  }
  const auto parts = util::split(name, '.');
  const json* node = nullptr;
  for (auto it = stack.rbegin(); it != stack.rend() && !node; ++it) {
    if (it->context && it->context->is_object() && it->context->contains(parts[0])) {
      node = &(*it->context)[parts[0]];
    }
  }
  if (!node && root.is_object() && root.contains(parts[0])) {
    node = &root[parts[0]];
  }
  for (std::size_t i = 1; node && i < parts.size(); ++i) {
    node = node->is_object() && node->contains(parts[i]) ? &(*node)[parts[i]] : nullptr;
  }
  return node;
}

} // namespace

json
shape_of(const json& model)
{
  json shape;
  merge_shape(shape, model);
  return shape;
}

std::unordered_set<std::string>
validate_template(const std::string& source, const std::string& text, const json& shape)
{
  std::unordered_set<std::string> used;
  std::string open = "{{";
  std::string close = "}}";
  std::vector<Frame> stack;
  auto fail = [&](std::size_t pos, const std::string& what) {
    throw util::Fatal(util::ExitCode::report, fmt::format("{}:{}: {}", source, util::line_of(text, pos), what));
  };
  std::size_t pos = 0;
  while ((pos = text.find(open, pos)) != std::string::npos) {
    const std::size_t start = pos;
    std::size_t body = pos + open.size();
    std::string end = close;
    if (open == "{{" && body < text.size() && text[body] == '{') {
      ++body;
      end = "}}}";
    }
    const auto stop = text.find(end, body);
    if (stop == std::string::npos) {
      fail(start, "unclosed tag");
    }
    std::string tag(util::trim(std::string_view(text).substr(body, stop - body)));
    pos = stop + end.size();
    if (tag.empty()) {
      fail(start, "empty tag");
    }
    const char kind = tag[0];
    if (kind == '!') {
      continue;
    }
    if (kind == '=') {
      // {{=<% %>=}}: new delimiters.
      const auto inner = util::trim(std::string_view(tag).substr(1, tag.size() > 1 ? tag.size() - 2 : 0));
      const auto space = inner.find(' ');
      if (tag.back() != '=' || space == std::string_view::npos) {
        fail(start, "bad delimiter change");
      }
      open = std::string(util::trim(inner.substr(0, space)));
      close = std::string(util::trim(inner.substr(space + 1)));
      continue;
    }
    if (kind == '>') {
      fail(start, "partials are not supported");
    }
    std::string name = tag;
    if (kind == '#' || kind == '^' || kind == '/' || kind == '&') {
      name = std::string(util::trim(std::string_view(tag).substr(1)));
    }
    if (kind == '/') {
      if (stack.empty() || stack.back().name != name) {
        fail(start, fmt::format("'{}' closes no open section", name));
      }
      stack.pop_back();
      continue;
    }
    const json* node = resolve(stack, shape, name);
    if (!node) {
      fail(start, fmt::format("unknown name '{}'", name));
    }
    for (auto& part : util::split(name, '.')) {
      used.insert(std::move(part));
    }
    if (kind == '#') {
      const json* context = node->is_array() ? (node->empty() ? nullptr : &(*node)[0]) : node->is_object() ? node : nullptr;
      stack.push_back(Frame{name, context, util::line_of(text, start)});
    } else if (kind == '^') {
      stack.push_back(Frame{name, nullptr, util::line_of(text, start)});
    }
  }
  if (!stack.empty()) {
    throw util::Fatal(util::ExitCode::report,
                      fmt::format("{}:{}: section '{}' is not closed", source, stack.back().line, stack.back().name));
  }
  return used;
}

std::string
markdown_escape(const std::string& text)
{
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '\n':
    case '\r':
      out += ' ';
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '|':
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '#':
    case '~':
      out += '\\';
      out += c;
      break;
    default:
      out += c;
    }
  }
  return out;
}

void
render(const json& model, Format format, const std::optional<std::filesystem::path>& templates_dir, std::ostream& out)
{
  if (format == Format::json) {
    // Straight into the output: the report of a large history is tens of MB.
    write_json(model, out);
    out << '\n';
    return;
  }
  const bool html = format == Format::html;
  render_template(model, html ? "report.html.mustache" : "report.md.mustache", html ? Format::html : Format::markdown,
                  sample_model(), templates_dir, out);
}

void
render_diff(const json& diff, Format format, const std::optional<std::filesystem::path>& templates_dir, std::ostream& out)
{
  if (format == Format::json) {
    write_json(diff, out);
    out << '\n';
    return;
  }
  if (format == Format::markdown || format == Format::html) {
    render_template(diff, "diff.md.mustache", Format::markdown, sample_diff(), templates_dir, out);
    return;
  }
  // Names may hold newlines and other control characters: one item, one line.
  auto line = [](const json& value) { return util::printable(value.get<std::string>()); };
  const auto& from = diff["from"];
  const auto& to = diff["to"];
  const auto& counts = diff["counts"];
  fmt::print(out, "{}: snapshot {} ({}) -> {}snapshot {} ({})\n", line(from["name"]),
             from["id"].get<std::int64_t>(), from["taken_at"].get<std::string>(),
             from["name"] == to["name"] ? "" : line(to["name"]) + " ",
             to["id"].get<std::int64_t>(), to["taken_at"].get<std::string>());
  fmt::print(out, "{} appeared, {} disappeared, {} changed, {} unchanged", counts["appeared"].get<std::size_t>(),
             counts["disappeared"].get<std::size_t>(), counts["changed"].get<std::size_t>(),
             counts["unchanged"].get<std::size_t>());
  for (const auto& [key, text] : {std::pair{"not_checked", "not checked in the newer snapshot"},
                                  std::pair{"not_checked_before", "not checked in the older snapshot"}}) {
    if (const auto n = counts[key].get<std::size_t>()) {
      fmt::print(out, ", {} {}", n, text);
    }
  }
  fmt::print(out, "\n");
  auto section = [&](const char* title, const json& items) {
    if (items.empty()) {
      return;
    }
    fmt::print(out, "\n{}:\n", title);
    for (const auto& f : items) {
      fmt::print(out, "  {:<8}  {}  {}\n", f["severity"].get<std::string>(), f["check_id"].get<std::string>(),
                 line(f["object"]));
      if (f.contains("changes")) {
        for (const auto& c : f["changes"]) {
          fmt::print(out, "            {}: {} -> {}\n", c["field"].get<std::string>(),
                     line(c["from"]), line(c["to"]));
        }
      } else {
        fmt::print(out, "            {}\n", line(f["message"]));
      }
    }
  };
  section("Appeared", diff["appeared"]);
  section("Disappeared", diff["disappeared"]);
  section("Changed", diff["changed"]);
  section("Not checked in the newer snapshot (its check did not run)", diff["not_checked"]);
  section("Not checked in the older snapshot (its check did not run)", diff["not_checked_before"]);
  for (const auto& [side, title] : {std::pair{"from", "older"}, std::pair{"to", "newer"}}) {
    const auto& not_run = diff["not_run"][side];
    if (!not_run.empty()) {
      fmt::print(out, "\nChecks without a result in the {} snapshot:\n", title);
      for (const auto& s : not_run) {
        fmt::print(out, "  {}: {}\n", s["check_id"].get<std::string>(), line(s["reason"]));
      }
    }
  }
}

} // namespace report
