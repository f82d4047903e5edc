#include "pg/conninfo.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <memory>

namespace pg {

namespace {

using ConninfoOptions = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

ConninfoOptions
parse(const std::string& conninfo)
{
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (err) {
    PQfreemem(err);
  }
  return ConninfoOptions(options, &PQconninfoFree);
}

// The value of `keyword` in `options`, or empty.
std::string
value_of(const PQconninfoOption* options, std::string_view keyword)
{
  for (const auto* o = options; o && o->keyword; ++o) {
    if (o->val && keyword == o->keyword) {
      return o->val;
    }
  }
  return {};
}

} // namespace

void
validate_conninfo(const std::string& conninfo)
{
  if (conninfo.empty()) {
    return;
  }
  if (!parse(conninfo)) {
    throw util::Fatal(util::ExitCode::usage,
                      "cannot parse --db: give key=value pairs (\"host=... dbname=...\") or a "
                      "postgresql:// URL");
  }
}

std::string
redact_conninfo(const std::string& conninfo)
{
  const auto options = parse(conninfo);
  if (!options) {
    return "(unparseable connection string)";
  }
  std::string out;
  for (auto* o = options.get(); o->keyword; ++o) {
    if (!o->val || std::string_view(o->keyword) == "password") {
      continue;
    }
    out += fmt::format("{}{}='{}'", out.empty() ? "" : " ", o->keyword, o->val);
  }
  return out;
}

model::Target
conninfo_target(const std::string& conninfo)
{
  const auto given = parse(conninfo);
  const ConninfoOptions defaults(PQconndefaults(), &PQconninfoFree);
  const auto field = [&](std::string_view keyword) {
    auto value = value_of(given.get(), keyword);
    return value.empty() ? value_of(defaults.get(), keyword) : value;
  };
  auto user = field("user");
  auto dbname = field("dbname");
  return model::Target{field("host"), field("port"), dbname.empty() ? user : dbname, user};
}

namespace {

bool
is_url(const std::string& conninfo)
{
  return conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
}

// `value` as a libpq keyword value: single-quoted, with \ and ' escaped.
std::string
quoted_value(const std::string& value)
{
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

} // namespace

std::string
compose_conninfo(const ConnOptions& options)
{
  auto conninfo = options.db;
  if (!conninfo.empty() && !is_url(conninfo) && conninfo.find('=') == std::string::npos) {
    conninfo = "dbname=" + quoted_value(conninfo);
  }
  for (const auto& [keyword, value] : {std::pair{"host", &options.host}, std::pair{"port", &options.port},
                                       std::pair{"user", &options.user}}) {
    if (!*value) {
      continue;
    }
    if (is_url(conninfo)) {
      throw util::Fatal(util::ExitCode::usage, "-h/--host, -p/--port and -U/--username go with a database name or "
                                               "a keyword connection string, not with a postgresql:// URL: put them "
                                               "in the URL");
    }
    conninfo += fmt::format("{}{}={}", conninfo.empty() ? "" : " ", keyword, quoted_value(**value));
  }
  return conninfo;
}

} // namespace pg
