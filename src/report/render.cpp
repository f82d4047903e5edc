#include "report/render.hpp"

#include "report/diff_text.hpp"

#include "report/json_stream.hpp"
#include "report/json_writer.hpp"
#include "util/embedded_files.hpp"
#include "util/error.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <kainjow/mustache.hpp>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_set>

namespace report {

namespace {

namespace mustache = kainjow::mustache;
using nlohmann::json;

// The names a template uses, looked up by the fields' keys.
struct NameHash
{
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};
using Names = std::unordered_set<std::string, NameHash, std::equal_to<>>;

// What a template uses, as the checker resolved its tags against the type's shape: the shape's
// nodes, each a field of one type at one place (the snapshot table's `findings`, a count, is not
// the database's `findings`, the fix-first list of every finding), and every name of the tags,
// part by part, which is all there is to go by in JSON passed on unchanged (evidence).
struct UsedNames
{
  std::unordered_set<const json*> nodes;
  Names names;
};

// What converting the report into mustache data needs: the format (for view fields) and what
// the template uses (no other field can be rendered, so no other is converted).
struct DataContext
{
  Format format;
  const UsedNames& used;
};

// JSON passed on unchanged (evidence) as mustache data: numbers as text, null as false; only
// the keys the template uses.
mustache::data
json_data(const json& value, const DataContext& ctx)
{
  switch (value.type()) {
  case json::value_t::object: {
    mustache::data out{mustache::data::type::object};
    for (const auto& [key, item] : value.items()) {
      if (ctx.used.names.count(key)) {
        out[key] = json_data(item, ctx); // moved in: set() copies
      }
    }
    return out;
  }
  case json::value_t::array: {
    mustache::data out{mustache::data::type::list};
    for (const auto& item : value) {
      out.push_back(json_data(item, ctx));
    }
    return out;
  }
  case json::value_t::boolean:
    return mustache::data{value.get<bool>()};
  case json::value_t::null:
  case json::value_t::discarded:
    return mustache::data{false};
  case json::value_t::string:
    return mustache::data{value.get<std::string>()};
  case json::value_t::number_float:
    return mustache::data{fmt::format("{:.1f}", value.get<double>())};
  default:
    return mustache::data{value.dump()};
  }
}

// `shape` is the value's node in the type's shape (type_shape), whose used children are converted.
template<typename T>
mustache::data to_data(const T& value, const DataContext& ctx, const json& shape);

// Converts the fields of a value at `shape` that the template uses, and the view fields of its
// format it uses.
class DataFields
{
public:
  DataFields(mustache::data& out, const DataContext& ctx, const json& shape) : m_out(out), m_ctx(ctx), m_shape(shape) {}

  bool wants(std::string_view key) const { return field_shape(key) != nullptr; }

  template<typename T>
  void operator()(std::string_view key, const T& value)
  {
    if (const auto* shape = field_shape(key)) {
      m_out[std::string(key)] = to_data(value, m_ctx, *shape);
    }
  }

  template<typename Fn>
  void view(Format format, std::string_view key, Fn&& compute)
  {
    if (format != m_ctx.format) {
      return;
    }
    if (const auto* shape = field_shape(key)) {
      m_out[std::string(key)] = to_data(compute(), m_ctx, *shape);
    }
  }

private:
  // The node of field `key` when the template uses it, else null.
  const json* field_shape(std::string_view key) const
  {
    const auto it = m_shape.find(key);
    return it != m_shape.end() && m_ctx.used.nodes.count(&*it) ? &*it : nullptr;
  }

  mustache::data& m_out;
  const DataContext& m_ctx;
  const json& m_shape;
};

// A value of the report as mustache data: described types as objects, vectors as lists,
// numbers as text (one decimal for fractions), a missing optional as false.
template<typename T>
mustache::data
to_data(const T& value, const DataContext& ctx, const json& shape)
{
  if constexpr (std::is_same_v<T, json>) {
    return json_data(value, ctx);
  } else if constexpr (Described<T>) {
    mustache::data out{mustache::data::type::object};
    DataFields writer(out, ctx, shape);
    value.fields(writer);
    return out;
  } else if constexpr (fields_detail::is_optional<T>::value) {
    return value ? to_data(*value, ctx, shape) : mustache::data{false};
  } else if constexpr (fields_detail::is_vector<T>::value) {
    mustache::data out{mustache::data::type::list};
    // kainjow offers no moving push_back; its list is an ordinary non-const vector it owns.
    auto& list = const_cast<mustache::list&>(out.list_value());
    list.resize(value.size());
    // The fix-first list of a large database has thousands of items: converted on two threads
    // (the conversion only reads the report and the used names).
    util::in_two_halves(value.size(), k_parallel_items, [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        list[i] = to_data(value[i], ctx, shape.front());
      }
    });
    return out;
  } else if constexpr (std::is_same_v<T, bool>) {
    return mustache::data{value};
  } else if constexpr (std::is_floating_point_v<T>) {
    return mustache::data{fmt::format("{:.1f}", value)};
  } else if constexpr (std::is_arithmetic_v<T>) {
    return mustache::data{std::to_string(value)};
  } else {
    return mustache::data{std::string(value)};
  }
}

struct Template
{
  std::string source; // file name for messages
  std::string text;
};

Template
read_override(const std::filesystem::path& path)
{
  std::error_code ec;
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

Template
load_template(const std::string& name, const std::optional<std::filesystem::path>& dir)
{
  if (dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec)) {
      throw util::Fatal(util::ExitCode::report, fmt::format("--templates {}: not a directory", dir->string()));
    }
    if (const auto path = *dir / name; std::filesystem::exists(path, ec)) {
      return read_override(path);
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

// kainjow's messages ("Unclosed section \"x\" at 12") as ours, with the line of the offset.
std::string
located_error(const std::string& source, const std::string& text, const std::string& message)
{
  static const std::pair<std::string_view, std::string_view> k_messages[] = {
    {"Unclosed tag", "unclosed tag"},
    {"Unclosed section", "section '{}' is not closed"},
    {"Unopened section", "'{}' closes no open section"},
    {"Invalid set delimiter tag", "bad delimiter change"},
  };
  const auto at = message.rfind(" at ");
  std::size_t offset = 0;
  try {
    offset = at == std::string::npos ? std::string::npos : std::stoul(message.substr(at + 4));
  } catch (const std::exception&) {
    offset = std::string::npos;
  }
  if (offset == std::string::npos) {
    return fmt::format("{}: {}", source, message);
  }
  auto what = message.substr(0, at);
  for (const auto& [prefix, ours] : k_messages) {
    if (what.starts_with(prefix)) {
      const auto open = what.find('"');
      const auto close = what.rfind('"');
      const auto name = open < close ? what.substr(open + 1, close - open - 1) : std::string();
      what = fmt::format(fmt::runtime(ours), name);
      break;
    }
  }
  return fmt::format("{}:{}: {}", source, util::line_of(text, offset), what);
}

using Component = mustache::component<std::string>;

// Checks the names of the tags under `parent` against `shape`, with the contexts of the open
// sections in `stack` (innermost last; null: a section on a value that is not a list or an
// object, which opens no context).
class NameChecker
{
public:
  NameChecker(const std::string& source, const std::string& text, const json& shape)
    : m_source(source), m_text(text), m_shape(shape)
  {
  }

  void check(const Component& parent)
  {
    for (const auto& child : parent.children) {
      check_tag(child);
    }
  }

  UsedNames take_used() { return {std::move(m_nodes), std::move(m_names)}; }

private:
  [[noreturn]] void fail(const Component& at, const std::string& what) const
  {
    throw util::Fatal(util::ExitCode::report, fmt::format("{}:{}: {}", m_source, util::line_of(m_text, at.position), what));
  }

  void check_tag(const Component& c)
  {
    using mustache::tag_type;
    switch (c.tag.type) {
    case tag_type::partial:
      fail(c, "partials are not supported");
    case tag_type::variable:
    case tag_type::unescaped_variable:
    case tag_type::section_begin:
    case tag_type::section_begin_inverted:
      break;
    default:
      return; // text, comments, delimiter changes
    }
    const auto& name = c.tag.name;
    if (name.empty()) {
      fail(c, "empty tag");
    }
    const json* node = resolve(name);
    if (!node) {
      fail(c, fmt::format("unknown name '{}'", name));
    }
    for (auto& part : util::split(name, '.')) {
      m_names.insert(std::move(part));
    }
    if (c.tag.type == tag_type::section_begin) {
      // A list opens its element, an object itself; JSON passed on unchanged (null in the
      // shape) may have any name.
      m_stack.push_back(node->is_array() ? &(*node)[0] : node->is_object() || node->is_null() ? node : nullptr);
      check(c);
      m_stack.pop_back();
    } else if (c.tag.type == tag_type::section_begin_inverted) {
      m_stack.push_back(nullptr);
      check(c);
      m_stack.pop_back();
    }
  }

  // As mustache resolves `name`: the innermost context that has it whole ("a.b": a, then b in
  // it), then the root. The shape's nodes on the way are recorded as used.
  const json* resolve(const std::string& name)
  {
    static const json k_any = nullptr;
    if (name == ".") {
      return &k_any;
    }
    const auto parts = util::split(name, '.');
    std::vector<const json*> path;
    auto in = [&](const json* context) -> const json* {
      path.clear();
      for (const auto& part : parts) {
        if (context->is_null()) {
          return &k_any;
        }
        const auto it = context->is_object() ? context->find(part) : context->end();
        if (it == context->end()) {
          return nullptr;
        }
        context = &*it;
        path.push_back(context);
      }
      return context;
    };
    const json* found = nullptr;
    for (auto it = m_stack.rbegin(); it != m_stack.rend() && !found; ++it) {
      if (*it) {
        found = in(*it);
      }
    }
    if (!found) {
      found = in(&m_shape);
    }
    if (found) {
      m_nodes.insert(path.begin(), path.end());
    }
    return found;
  }

  const std::string& m_source;
  const std::string& m_text;
  const json& m_shape;
  std::vector<const json*> m_stack;
  std::unordered_set<const json*> m_nodes;
  Names m_names;
};

// Parses and checks template `t` for values of shape `shape`; what it uses of it.
UsedNames
checked_names(const Template& t, const json& shape)
{
  mustache::context<std::string> no_data;
  mustache::context_internal<std::string> parse_context{no_data};
  Component root;
  std::string error;
  mustache::parser<std::string> parser{t.text, parse_context, root, error};
  if (!error.empty()) {
    throw util::Fatal(util::ExitCode::report, located_error(t.source, t.text, error));
  }
  NameChecker checker(t.source, t.text, shape);
  checker.check(root);
  return checker.take_used();
}

// Renders `value` (a Report or a Diff) through template `name`, in `format`.
template<typename T>
void
render_template(const T& value,
                const std::string& name,
                Format format,
                const std::optional<std::filesystem::path>& templates_dir,
                std::ostream& out)
{
  const auto t = load_template(name, templates_dir);
  const auto shape = type_shape<T>(format);
  const auto used = checked_names(t, shape);
  mustache::mustache tmpl(t.text);
  if (format == Format::markdown) {
    tmpl.set_custom_escape(markdown_escape);
  }
  tmpl.render(to_data(value, DataContext{format, used}, shape), [&out](const std::string& chunk) { out << chunk; });
  if (!tmpl.is_valid()) {
    throw util::Fatal(util::ExitCode::report, located_error(t.source, t.text, tmpl.error_message()));
  }
}

} // namespace

std::set<std::string>
validate_template(const std::string& source, const std::string& text, const json& shape)
{
  const auto used = checked_names(Template{source, text}, shape);
  std::set<std::string> paths;
  const std::function<void(const json&, const std::string&)> walk = [&](const json& node, const std::string& path) {
    if (node.is_array()) {
      walk(node.front(), path);
    } else if (node.is_object()) {
      for (const auto& [key, child] : node.items()) {
        const auto child_path = path.empty() ? key : path + "." + key;
        if (used.nodes.count(&child)) {
          paths.insert(child_path);
        }
        walk(child, child_path);
      }
    }
  };
  walk(shape, "");
  return paths;
}

std::string
markdown_escape(const std::string& text)
{
  // A line break would end the table cell; HTML is escaped; Markdown's own marks are backslashed.
  static constexpr util::CharReplacement k_markdown[] = {
    {'\n', " "},   {'\r', " "},    {'<', "&lt;"},  {'>', "&gt;"},  {'&', "&amp;"},
    {'|', "\\|"}, {'\\', "\\\\"}, {'`', "\\`"}, {'*', "\\*"}, {'_', "\\_"},
    {'[', "\\["}, {']', "\\]"},  {'#', "\\#"}, {'~', "\\~"},
  };
  return util::replace_chars(text, k_markdown);
}

void
render(const Report& report, Format format, const std::optional<std::filesystem::path>& templates_dir, std::ostream& out)
{
  const bool html = format == Format::html;
  if (format == Format::json) {
    // Straight into the output, field by field: the report of a large history is tens of MB.
    stream_json(report, out, 0);
    out << '\n';
  } else {
    render_template(report, html ? "report.html.mustache" : "report.md.mustache", html ? Format::html : Format::markdown,
                    templates_dir, out);
  }
}

void
render_diff(const Diff& diff, Format format, const std::optional<std::filesystem::path>& templates_dir, std::ostream& out)
{
  switch (format) {
  case Format::json:
    stream_json(diff, out, 0);
    out << '\n';
    break;
  case Format::markdown:
  case Format::html:
    render_template(diff, "diff.md.mustache", Format::markdown, templates_dir, out);
    break;
  case Format::text:
    write_diff_text(diff, out);
    break;
  }
}

} // namespace report
