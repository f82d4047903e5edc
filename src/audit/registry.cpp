#include "audit/registry.hpp"

#include "audit/query_fragments.hpp"
#include "util/embedded_files.hpp"
#include "util/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace audit {

namespace {

void
check_file_name(const model::CheckDef& def, std::string_view stem)
{
  if (def.id != stem) {
    throw util::Fatal(util::ExitCode::config,
                      fmt::format("{}:1: id \"{}\" does not match the file name; name the file "
                                  "{}.sql",
                                  def.source, def.id, def.id));
  }
}

// The params `def` declares with the default "(config)" take the config's (its settings of the
// whole config, e.g. [deprecation] grace_days): each setting has its default in one place.
void
fill_config_params(model::CheckDef& def, const Config& defaults)
{
  for (const auto& name : def.config_params) {
    const auto global = defaults.global(name);
    if (!global) {
      const auto settings = fmt::format("{}", fmt::join(defaults.global_names(), ", "));
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("{}: param \"{}\" takes its default from the config, which has no setting of that "
                                    "name ({}); write {}=<default>",
                                    def.source, name, settings, name));
    }
    for (auto& [param, value] : def.params) {
      if (param == name) {
        value = *global;
      }
    }
  }
}

// Adds `def` (a base file, or with `variant_major` a .pgNN variant of one) to `defs`: a base file
// of an id already there (embedded) replaces it, variants included.
void
add_to(std::vector<model::CheckDef>& defs, model::CheckDef def, int variant_major)
{
  auto it = std::find_if(defs.begin(), defs.end(), [&](const model::CheckDef& c) { return c.id == def.id; });
  if (variant_major > 0) {
    if (it == defs.end()) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("{}: variant of unknown {} \"{}\"; add {}.sql first",
                                    def.source, def.kind == model::CheckKind::input ? "input" : "check", def.id, def.id));
    }
    it->variants[variant_major] = std::move(def.sql);
  } else if (it != defs.end()) {
    *it = std::move(def); // --queries overrides the embedded file, variants included
  } else {
    defs.push_back(std::move(def));
  }
}

// The .sql files of `dir`, base files (sorted) before their variants, so variants find their base.
std::vector<std::filesystem::path>
query_files(const std::filesystem::path& dir)
{
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".sql") {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    throw util::Fatal(util::ExitCode::config, fmt::format("--queries {}: {}", dir.string(), ec.message()));
  }
  std::sort(files.begin(), files.end());
  std::stable_partition(files.begin(), files.end(), [](const auto& p) {
    return model::split_query_file_name(p.filename().string()).second == 0;
  });
  return files;
}

std::string
read_query_file(const std::filesystem::path& path)
{
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in || std::filesystem::is_directory(path, ec)) { // a directory reads as empty
    throw util::Fatal(util::ExitCode::config, fmt::format("{}: cannot read the file", path.string()));
  }
  return content.str();
}

} // namespace

void
Registry::add(model::CheckDef def, int variant_major)
{
  if (def.kind == model::CheckKind::input) {
    throw util::Fatal(util::ExitCode::config,
                      fmt::format("{}: an input belongs in the inputs/ folder beside the checks", def.source));
  }
  add_to(m_checks, std::move(def), variant_major);
}

void
Registry::add_input(model::CheckDef def, int variant_major)
{
  if (def.kind != model::CheckKind::input) {
    throw util::Fatal(util::ExitCode::config,
                      fmt::format("{}:1: a file in inputs/ is an input: add \"-- kind: input\" to its header", def.source));
  }
  add_to(m_inputs, std::move(def), variant_major);
}

// Every input a check declares exists: a typo must not fail each audit at run time.
void
Registry::check_inputs() const
{
  for (const auto& def : m_checks) {
    for (const auto& name : def.inputs) {
      if (!find_input(name)) {
        throw util::Fatal(util::ExitCode::config,
                          fmt::format("{}: no input \"{}\"; add queries/inputs/{}.sql (or inputs/{}.sql under --queries)",
                                      def.source, name, name, name));
      }
    }
  }
}

Registry
Registry::load(const std::optional<std::filesystem::path>& extra_dir)
{
  Registry registry;
  // Base files sort before their .pgNN variants, so variants find their base.
  constexpr std::string_view inputs_dir = "inputs/";
  constexpr std::string_view lib_dir = "lib/";
  // The fragments first (queries/lib/, then lib/ under --queries): the queries include them.
  QueryFragments fragments;
  for (const auto& file : util::embedded_files()) {
    if (file.path.rfind("queries/lib/", 0) == 0) {
      fragments.add(std::filesystem::path(file.path).stem().string(), std::string(file.content), std::string(file.path));
    }
  }
  std::error_code ec;
  if (extra_dir && std::filesystem::is_directory(*extra_dir / lib_dir, ec)) {
    for (const auto& path : query_files(*extra_dir / lib_dir)) {
      fragments.add(path.stem().string(), read_query_file(path), path.string());
    }
  }
  // One query file, named `file_name`, added to the checks, or to the inputs when `input`.
  const auto add_file = [&](std::string_view source, std::string_view content, std::string_view file_name, bool input) {
    const auto [stem, major] = model::split_query_file_name(file_name);
    auto def = model::parse_check(source, fragments.expand(source, content));
    check_file_name(def, stem);
    input ? registry.add_input(std::move(def), major) : registry.add(std::move(def), major);
  };
  // The embedded queries, base files before their variants (embedding sorts by name, which puts
  // "x.pg15.sql" before "x.sql").
  std::vector<const util::EmbeddedFile*> embedded;
  for (const auto& file : util::embedded_files()) {
    const auto name = std::string_view(file.path);
    if (name.substr(0, 8) == "queries/" && name.substr(8, lib_dir.size()) != lib_dir) {
      embedded.push_back(&file);
    }
  }
  std::stable_partition(embedded.begin(), embedded.end(), [](const util::EmbeddedFile* file) {
    return model::split_query_file_name(std::filesystem::path(file->path).filename().string()).second == 0;
  });
  for (const auto* file : embedded) {
    const auto name = std::string_view(file->path).substr(8);
    const bool input = name.substr(0, inputs_dir.size()) == inputs_dir;
    add_file(file->path, file->content, input ? name.substr(inputs_dir.size()) : name, input);
  }

  if (extra_dir) {
    if (!std::filesystem::is_directory(*extra_dir, ec)) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("--queries {}: not a directory", extra_dir->string()));
    }
    const auto inputs = *extra_dir / inputs_dir;
    for (const bool input : {false, true}) {
      if (input && !std::filesystem::is_directory(inputs, ec)) {
        continue;
      }
      for (const auto& path : query_files(input ? inputs : *extra_dir)) {
        add_file(path.string(), read_query_file(path), path.filename().string(), input);
      }
    }
  }
  registry.check_inputs();
  const auto defaults = default_config();
  for (auto& def : registry.m_checks) {
    fill_config_params(def, defaults);
  }
  std::sort(registry.m_checks.begin(), registry.m_checks.end(),
            [](const model::CheckDef& a, const model::CheckDef& b) { return a.id < b.id; });
  return registry;
}

const model::CheckDef*
Registry::find(std::string_view id) const
{
  return model::find_check(m_checks, id);
}

const model::CheckDef*
Registry::find_input(std::string_view id) const
{
  return model::find_check(m_inputs, id);
}

namespace {

// Whether a config value written as `given` fits a param the SQL casts to `declared`: whole
// numbers where it wants one (within int4 for int), numbers where it wants a number.
bool
fits(model::ParamType declared, model::ParamType given, const std::string& value)
{
  switch (declared) {
  case model::ParamType::integer:
    return given == model::ParamType::big_integer && std::stoll(value) <= std::numeric_limits<std::int32_t>::max();
  case model::ParamType::number:
    return given == model::ParamType::big_integer || given == model::ParamType::number;
  default:
    return given == declared;
  }
}

// Throws util::Fatal(config) when param `index` of `def`, set to `value` as `source` says, is not
// of the type the check's SQL declares: a string where a number goes would otherwise skip the
// check at run time (or worse, reach the SQL as text).
void
check_param_type(const model::CheckDef& def, std::size_t index, const std::string& name, const std::string& value,
                 const ParamSource& source)
{
  const auto declared = def.param_type(index);
  if (!declared || fits(*declared, source.type, value)) {
    return;
  }
  throw util::Fatal(util::ExitCode::config,
                    fmt::format("{}: [checks.{}] {} must be {}{} (default {}), not {}; see \"schema-audit "
                                "checks --explain {}\"",
                                source.where, def.id, name, to_string(*declared),
                                *declared == model::ParamType::integer ? " up to 2147483647" : "",
                                def.params[index].second,
                                source.type == model::ParamType::big_integer ? value : to_string(source.type), def.id));
}

} // namespace

void
Registry::check_config(const Config& config) const
{
  for (const auto& [id, settings] : config.checks) {
    const auto* def = find(id);
    if (!def) {
      throw util::Fatal(util::ExitCode::config,
                        fmt::format("config: [checks.{}]: no such check; list them with \"schema-audit "
                                    "checks\"",
                                    id));
    }
    for (const auto& [name, value] : settings.params) {
      const auto known = std::find_if(def->params.begin(), def->params.end(),
                                      [&](const auto& p) { return p.first == name; });
      if (known == def->params.end()) {
        std::string takes;
        for (const auto& p : def->params) {
          takes += (takes.empty() ? "" : ", ") + p.first;
        }
        throw util::Fatal(util::ExitCode::config,
                          fmt::format("config: [checks.{}] {}: no such param; it takes {}enabled and "
                                      "severity (see \"schema-audit checks --explain {}\")",
                                      id, name, takes.empty() ? "" : takes + ", ", id));
      }
      if (const auto source = settings.param_sources.find(name); source != settings.param_sources.end()) {
        check_param_type(*def, static_cast<std::size_t>(known - def->params.begin()), name, value, source->second);
      }
    }
  }
}

std::set<std::string>
Registry::opt_in_modes() const
{
  // missing_index_statements confirms its proposals with hypopg under this mode.
  std::set<std::string> modes{"hypopg"};
  constexpr std::string_view prefix = "opt_in:";
  for (const auto& c : m_checks) {
    for (const auto& need : c.needs) {
      if (need.rfind(prefix, 0) == 0) {
        modes.insert(need.substr(prefix.size()));
      }
    }
  }
  return modes;
}

} // namespace audit
