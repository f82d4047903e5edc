#include "report/render.hpp"

#include "util/embedded_files.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <fstream>
#include <sstream>

namespace report {

namespace {

namespace mustache = kainjow::mustache;
using nlohmann::json;

// Values as the templates see them: JSON objects become mustache objects, arrays lists, numbers
// text. For Markdown every "remediation" also gets a "remediation_indented" twin: an indented
// code block, which no identifier can break out of.
mustache::data
to_data(const json& value, Format format)
{
  switch (value.type()) {
  case json::value_t::object: {
    mustache::data out{mustache::data::type::object};
    for (const auto& [key, item] : value.items()) {
      out.set(key, to_data(item, format));
      if (format == Format::markdown && key == "remediation" && item.is_string()) {
        std::string indented;
        for (const auto& line : util::split(item.get<std::string>(), '\n')) {
          indented += "    " + line + "\n";
        }
        out.set("remediation_indented", indented);
      }
    }
    return out;
  }
  case json::value_t::array: {
    mustache::data out{mustache::data::type::list};
    for (const auto& item : value) {
      out.push_back(to_data(item, format));
    }
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
      throw util::Fatal(util::ExitCode::report,
                        fmt::format("--templates {}: not a directory", dir->string()));
    }
    const auto path = *dir / name;
    if (std::filesystem::exists(path, ec)) {
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

} // namespace

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
    out << model.dump(2) << '\n';
    return;
  }
  const auto t = load_template(format == Format::html ? "report.html.mustache" : "report.md.mustache", templates_dir);
  mustache::mustache tmpl(t.text);
  if (!tmpl.is_valid()) {
    throw util::Fatal(util::ExitCode::report, located_error(t, tmpl.error_message()));
  }
  if (format == Format::markdown) {
    tmpl.set_custom_escape(markdown_escape);
  }
  const auto rendered = tmpl.render(to_data(model, format));
  if (!tmpl.is_valid()) {
    throw util::Fatal(util::ExitCode::report, located_error(t, tmpl.error_message()));
  }
  out << rendered;
}

} // namespace report
