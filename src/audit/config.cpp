#include "audit/config.hpp"

#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace audit {

namespace {

const std::vector<std::string> k_default_tenant_keys = {
  "tenant_id", "org_id", "organization_id", "account_id", "workspace_id"};
// `names` (tenant_keys), each snake_case one followed by its camelCase forms as ORMs name columns
// (Prisma's "workspaceId" for workspace_id: Formbricks' ~40 tenant tables were read as none), a
// trailing "_id" also as "ID" (Hoppscotch's "teamID" for team_id: its cross-team keys were not seen).
std::vector<std::string>
with_camel_case(const std::vector<std::string>& names)
{
  std::vector<std::string> out;
  const auto add = [&](std::string form) {
    if (std::find(names.begin(), names.end(), form) == names.end() && std::find(out.begin(), out.end(), form) == out.end()) {
      out.push_back(std::move(form));
    }
  };
  for (const auto& name : names) {
    out.push_back(name);
    std::string camel;
    bool upper_next = false;
    for (const char c : name) {
      if (c == '_' && !camel.empty()) {
        upper_next = true;
      } else {
        camel += upper_next ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper_next = false;
      }
    }
    if (camel == name) {
      continue;
    }
    add(camel);
    if (name.ends_with("_id") && camel.ends_with("Id")) {
      add(camel.substr(0, camel.size() - 1) + 'D');
    }
  }
  return out;
}

const std::vector<std::string> k_default_deprecation_patterns = {"deprecated_*", "dropped_*"};
const std::vector<std::string> k_default_extension_schemas = {
  "partman", "cron", "repack", "topology", "pgagent", "_timescaledb_*", "timescaledb_information",
  "timescaledb_experimental"};

class Reader
{
public:
  explicit Reader(std::string source) : m_source(std::move(source)) {}

  // "FILE:LINE" of `region`.
  std::string where(const toml::source_region& region) const
  {
    return fmt::format("{}:{}", m_source, region.begin.line);
  }

  [[noreturn]] void fail(const toml::source_region& region, std::string_view what) const
  {
    throw util::Fatal(util::ExitCode::config, fmt::format("{}: {}", where(region), what));
  }

  void only_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                 std::string_view section) const
  {
    for (const auto& [key, value] : table) {
      bool known = false;
      for (const auto a : allowed) {
        known = known || key.str() == a;
      }
      if (!known) {
        fail(key.source(), fmt::format("unknown key \"{}\" in {}", key.str(), section));
      }
    }
  }

  std::string string(const toml::node& node, std::string_view name) const
  {
    if (!node.is_string()) {
      fail(node.source(), fmt::format("{} must be a string", name));
    }
    return *node.value<std::string>();
  }

  std::int64_t integer(const toml::node& node, std::string_view name, std::int64_t min,
                       std::int64_t max) const
  {
    if (!node.is_integer()) {
      fail(node.source(), fmt::format("{} must be a whole number", name));
    }
    const auto v = *node.value<std::int64_t>();
    if (v < min || v > max) {
      fail(node.source(), fmt::format("{} must be between {} and {}", name, min, max));
    }
    return v;
  }

  std::vector<std::string> strings(const toml::node& node, std::string_view name) const
  {
    const auto* array = node.as_array();
    if (!array) {
      fail(node.source(), fmt::format("{} must be an array of strings", name));
    }
    std::vector<std::string> out;
    for (const auto& item : *array) {
      out.push_back(string(item, name));
    }
    return out;
  }

  // Reads the value at `key` of `table` into `out`, when the key is there.
  template<typename Text> // std::string or std::optional<std::string>
  void read(const toml::table& table, std::string_view key, Text& out) const
  {
    if (const auto* n = table.get(key)) {
      out = string(*n, key);
    }
  }
  void read(const toml::table& table, std::string_view key, std::vector<std::string>& out) const
  {
    if (const auto* n = table.get(key)) {
      out = strings(*n, key);
    }
  }
  // An integer from `min` to `max`.
  template<typename Number>
  void read(const toml::table& table, std::string_view key, Number& out, std::int64_t min, std::int64_t max) const
  {
    if (const auto* n = table.get(key)) {
      out = static_cast<int>(integer(*n, key, min, max));
    }
  }

  // A check param or global: strings, numbers and booleans as text, arrays as array literals.
  std::string param(const toml::node& node, std::string_view name) const
  {
    if (node.is_string()) {
      return *node.value<std::string>();
    }
    if (node.is_integer()) {
      return std::to_string(*node.value<std::int64_t>());
    }
    if (node.is_floating_point()) {
      return fmt::format("{}", *node.value<double>());
    }
    if (node.is_boolean()) {
      return *node.value<bool>() ? "true" : "false";
    }
    if (node.is_array()) {
      return util::pg_array_literal(strings(node, name));
    }
    fail(node.source(), fmt::format("{} must be a string, number, boolean or array", name));
  }

  // The type of a param's value as written (param() has accepted it).
  static model::ParamType type_of(const toml::node& node)
  {
    if (node.is_integer()) {
      return model::ParamType::big_integer;
    }
    if (node.is_floating_point()) {
      return model::ParamType::number;
    }
    if (node.is_boolean()) {
      return model::ParamType::boolean;
    }
    return node.is_array() ? model::ParamType::array : model::ParamType::text;
  }

  // Each [[`key`]] table of `node`, given to `read` after checking that it has only `allowed`
  // keys; fails unless `node` is an array of tables.
  template <typename Read>
  void each_table(const toml::node& node, std::string_view key, std::initializer_list<std::string_view> allowed,
                  Read read) const
  {
    const auto* array = node.as_array();
    if (!array || !array->is_array_of_tables()) {
      fail(node.source(), fmt::format("{} must be an array of [[{}]] tables", key, key));
    }
    const auto section = fmt::format("[[{}]]", key);
    for (const auto& item : *array) {
      const auto& table = *item.as_table();
      only_keys(table, allowed, section);
      read(table);
    }
  }

private:
  std::string m_source;
};

// [audit]: schemas and tables to include or leave out, tenant keys, session limits, jobs.
void
read_audit(const Reader& r, const toml::node& node, Config& config)
{
  const auto* audit = node.as_table();
  if (!audit) {
    r.fail(node.source(), "[audit] must be a table");
  }
  r.only_keys(*audit,
              {"include_schemas", "exclude_schemas", "exclude_tables", "extension_schemas", "tenant_keys",
               "statement_timeout_ms", "lock_timeout_ms", "jobs", "stats_min_age_days"},
              "[audit]");
  r.read(*audit, "include_schemas", config.include_schemas);
  r.read(*audit, "exclude_schemas", config.exclude_schemas);
  r.read(*audit, "exclude_tables", config.exclude_tables);
  r.read(*audit, "extension_schemas", config.extension_schemas);
  if (const auto* n = audit->get("tenant_keys")) {
    config.globals["tenant_keys"] = util::pg_array_literal(with_camel_case(r.strings(*n, "tenant_keys")));
  }
  r.read(*audit, "statement_timeout_ms", config.limits.statement_timeout_ms, 1, 24 * 3600 * 1000);
  r.read(*audit, "lock_timeout_ms", config.limits.lock_timeout_ms, 1, 24 * 3600 * 1000);
  r.read(*audit, "jobs", config.limits.jobs, 1, 64);
  r.read(*audit, "stats_min_age_days", config.stats_min_age_days, 0, 3650);
}

// [deprecation]: the name patterns of deprecated objects and the grace period before a drop.
void
read_deprecation(const Reader& r, const toml::node& node, Config& config)
{
  const auto* dep = node.as_table();
  if (!dep) {
    r.fail(node.source(), "[deprecation] must be a table");
  }
  r.only_keys(*dep, {"patterns", "grace_days"}, "[deprecation]");
  if (const auto* n = dep->get("patterns")) {
    config.globals["deprecation_patterns"] = util::pg_array_literal(r.strings(*n, "patterns"));
  }
  r.read(*dep, "grace_days", config.deprecation_grace_days, 0, 3650);
  config.globals["grace_days"] = std::to_string(config.deprecation_grace_days);
}

// [checks.<id>]: enabled, severity, and the check's params.
void
read_checks(const Reader& r, const toml::node& node, Config& config)
{
  const auto* checks = node.as_table();
  if (!checks) {
    r.fail(node.source(), "[checks] must be a table of [checks.<id>] tables");
  }
  for (const auto& [id, value] : *checks) {
    const auto* table = value.as_table();
    if (!table) {
      r.fail(value.source(), fmt::format("[checks.{}] must be a table", id.str()));
    }
    CheckSettings settings;
    for (const auto& [key, v] : *table) {
      if (key.str() == "enabled") {
        if (!v.is_boolean()) {
          r.fail(v.source(), "enabled must be true or false");
        }
        settings.enabled = *v.value<bool>();
      } else if (key.str() == "severity") {
        const auto s = model::parse_severity(r.string(v, "severity"));
        if (!s) {
          r.fail(v.source(), "severity must be info, low, medium, high or critical");
        }
        settings.severity = s;
      } else {
        if (v.is_integer() && *v.value<std::int64_t>() < 0) {
          r.fail(v.source(), fmt::format("{} must not be negative", key.str()));
        }
        settings.params[std::string(key.str())] = r.param(v, key.str());
        settings.param_sources[std::string(key.str())] = ParamSource{r.type_of(v), r.where(v.source())};
      }
    }
    config.checks[std::string(id.str())] = std::move(settings);
  }
}

// [[suppress]]: findings the team decided to keep, with a reason and an optional expiry.
void
read_suppressions(const Reader& r, const toml::node& node, Config& config)
{
  r.each_table(node, "suppress", {"check", "object", "fingerprint", "reason", "expires"},
               [&](const toml::table& table) {
    Suppression s;
    r.read(table, "check", s.check);
    r.read(table, "object", s.object);
    r.read(table, "fingerprint", s.fingerprint);
    r.read(table, "reason", s.reason);
    if (s.reason.empty()) {
      r.fail(table.source(), "[[suppress]] needs a reason");
    }
    if (s.fingerprint.empty() && s.object.empty()) {
      r.fail(table.source(), "[[suppress]] needs a fingerprint or an object pattern");
    }
    if (const auto* n = table.get("expires")) {
      std::optional<std::int64_t> when;
      if (const auto* d = n->as_date()) {
        when = util::parse_iso(fmt::format("{:04}-{:02}-{:02}", d->get().year,
                                           d->get().month, d->get().day));
      } else if (n->is_string()) {
        when = util::parse_iso(*n->value<std::string>());
      }
      if (!when) {
        r.fail(n->source(), "expires must be a date such as 2027-03-31");
      }
      s.expires = when;
    }
    config.suppressions.push_back(std::move(s));
  });
}

// [[targets]]: the databases of a fleet audit.
void
read_targets(const Reader& r, const toml::node& node, Config& config)
{
  r.each_table(node, "targets", {"name", "db", "replicas", "query_logs", "log_line_prefix"},
               [&](const toml::table& table) {
    TargetConfig t;
    r.read(table, "name", t.name);
    r.read(table, "db", t.db);
    r.read(table, "replicas", t.replicas);
    r.read(table, "query_logs", t.query_logs);
    r.read(table, "log_line_prefix", t.log_line_prefix);
    if (t.name.empty() || t.db.empty()) {
      r.fail(table.source(), "[[targets]] needs a name and a db");
    }
    config.targets.push_back(std::move(t));
  });
}

// The bookkeeping tables of migration tools (Rails, diesel, Flyway, Liquibase, Alembic, Django,
// Prisma, knex, goose, sqlx, gorp, Sequelize, Entity Framework, node-pg-migrate, MikroORM, SeaORM):
// their types, keys and usage are the tool's, not the application's to change (Lemmy: diesel's
// __diesel_schema_migrations was its only timestamp without time zone).
constexpr std::string_view k_framework_tables[] = {
  "schema_migrations", "ar_internal_metadata", "__diesel_schema_migrations", "flyway_schema_history", "schema_version",
  "databasechangelog", "databasechangeloglock", "alembic_version", "django_migrations", "_prisma_migrations",
  "knex_migrations", "knex_migrations_lock", "goose_db_version", "_sqlx_migrations", "gorp_migrations", "SequelizeMeta",
  "__EFMigrationsHistory", "pgmigrations", "mikro_orm_migrations", "seaql_migrations",
};

bool
framework_table(std::string_view table)
{
  return std::find(std::begin(k_framework_tables), std::end(k_framework_tables), table) != std::end(k_framework_tables);
}

} // namespace

bool
Config::includes(const std::string& schema, const std::string& table) const
{
  if (framework_table(table)) {
    return false;
  }
  bool included = include_schemas.empty();
  for (const auto& g : include_schemas) {
    included = included || util::glob_match(g, schema);
  }
  for (const auto* globs : {&exclude_schemas, &extension_schemas}) {
    for (const auto& g : *globs) {
      included = included && !util::glob_match(g, schema);
    }
  }
  if (included && !table.empty()) {
    const auto qualified = schema + "." + table;
    for (const auto& g : exclude_tables) {
      included = included && !util::glob_match(g, qualified);
    }
  }
  return included;
}

// The settings kept as members that checks may also take as a param of the same name.
constexpr std::string_view k_member_global = "stats_min_age_days";

std::optional<std::string>
Config::global(const std::string& name) const
{
  if (name == k_member_global) {
    return std::to_string(stats_min_age_days);
  }
  const auto it = globals.find(name);
  return it != globals.end() ? std::optional(it->second) : std::nullopt;
}

std::vector<std::string>
Config::global_names() const
{
  std::vector<std::string> names{std::string(k_member_global)};
  for (const auto& [name, value] : globals) {
    names.push_back(name);
  }
  return names;
}

Config
default_config()
{
  Config config;
  config.globals["tenant_keys"] = util::pg_array_literal(with_camel_case(k_default_tenant_keys));
  config.extension_schemas = k_default_extension_schemas;
  config.globals["deprecation_patterns"] = util::pg_array_literal(k_default_deprecation_patterns);
  config.globals["grace_days"] = std::to_string(config.deprecation_grace_days);
  return config;
}

Config
parse_config(std::string_view text, const std::string& source)
{
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw util::Fatal(util::ExitCode::config,
                      fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
  }
  const Reader r(source);
  Config config = default_config();
  r.only_keys(root, {"audit", "deprecation", "checks", "suppress", "targets"}, "the top level");
  if (const auto* node = root.get("audit")) {
    read_audit(r, *node, config);
  }
  if (const auto* node = root.get("deprecation")) {
    read_deprecation(r, *node, config);
  }
  if (const auto* node = root.get("checks")) {
    read_checks(r, *node, config);
  }
  if (const auto* node = root.get("suppress")) {
    read_suppressions(r, *node, config);
  }
  if (const auto* node = root.get("targets")) {
    read_targets(r, *node, config);
  }
  return config;
}

Config
load_config(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) { // a directory opens, then reads as empty
    throw util::Fatal(util::ExitCode::config,
                      fmt::format("cannot read config file {}", path.string()));
  }
  std::stringstream content;
  content << in.rdbuf();
  return parse_config(content.str(), path.string());
}

} // namespace audit
