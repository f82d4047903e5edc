// Hostile identifiers (quotes, spaces, unicode, <script>, |, newlines, SQL fragments) in schema,
// table, column, index and constraint names and in comments: every output escapes them, and
// every remediation statement quotes them so that running it touches exactly the named object.
#include "integration/hardening_sql.hpp"
#include "support/test_db.hpp"

#include "util/text.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

using namespace test;

namespace {

const std::string k_schema = "Ev1l \"sch\" \xc3\xbc|<script>x</script>\n--";
const std::string k_table = "tbl'; drop table victims; --\t|x";
const std::string k_column = "col\"umn <b>\xc3\xbc</b>\r\n|";
const std::string k_index = "idx \"'); drop index keep_me; --\n<b>";
const std::string k_constraint = "con|straint \"x\" \xc3\xbc";
const std::string k_comment = "<script>alert(1)</script> | \n## heading\r\n--";

// Plants the hostile objects: an invalid unique index (its remediation, REINDEX CONCURRENTLY,
// can succeed: the duplicates that made it fail are gone), a valid sibling index whose name is
// a prefix of it, a check constraint, comments; and controls named by the SQL fragments
// (public.victims, public.keep_me) that must survive every remediation.
void
plant(const ScratchDb& db)
{
  const auto t = qi(k_schema) + "." + qi(k_table);
  db.exec(fmt::format(R"(
    create table public.victims(id int primary key);
    create index keep_me on public.victims(id);
    create schema {schema};
    create table {t}(id int primary key, {column} text, constraint {constraint} check (id > 0));
    insert into {t} select g, 'v' || (g % 50) from generate_series(1, 100) g;
    create index "idx " on {t}({column});
    comment on schema {schema} is {comment};
    comment on table {t} is {comment};
    comment on column {t}.{column} is {comment};
    comment on constraint {constraint} on {t} is {comment};
  )",
                      fmt::arg("schema", qi(k_schema)), fmt::arg("t", t), fmt::arg("column", qi(k_column)),
                      fmt::arg("constraint", qi(k_constraint)), fmt::arg("comment", util::sql_literal(k_comment))));
  CHECK_THROWS(db.exec(fmt::format("create unique index concurrently {} on {}({})", qi(k_index), t, qi(k_column))));
  db.exec(fmt::format("comment on index {}.{} is {}", qi(k_schema), qi(k_index), util::sql_literal(k_comment)));
  db.exec(fmt::format("delete from {} where id > 50; analyze", t));
}

struct CatalogEntry
{
  std::string kind;
  std::vector<std::string> names; // schema, relation, column/constraint
  std::string properties;
  auto operator<=>(const CatalogEntry&) const = default;
};

// Every user schema, relation, column and constraint of `dbname`, with what a remediation could
// change about it.
std::set<CatalogEntry>
catalog(const std::string& dbname)
{
  pqxx::connection c(cluster_conninfo(dbname));
  pqxx::nontransaction tx(c);
  const auto r = tx.exec(R"(
    with ns as (select oid, nspname from pg_namespace
                where nspname not in ('pg_catalog', 'information_schema') and nspname !~ '^pg_(toast|temp)')
    select 'schema', nspname, null, null, '' from ns
    union all
    select 'relation', ns.nspname, c.relname, null,
           c.relkind::text || coalesce(' valid=' || x.indisvalid || ' ' || pg_get_indexdef(c.oid), '')
    from pg_class c join ns on ns.oid = c.relnamespace left join pg_index x on x.indexrelid = c.oid
    union all
    select 'column', ns.nspname, c.relname, a.attname,
           format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    from pg_attribute a join pg_class c on c.oid = a.attrelid join ns on ns.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm')
    union all
    select 'constraint', ns.nspname, c.relname, k.conname,
           k.contype::text || ' valid=' || k.convalidated || ' ' || pg_get_constraintdef(k.oid)
    from pg_constraint k join pg_class c on c.oid = k.conrelid join ns on ns.oid = c.relnamespace)");
  std::set<CatalogEntry> out;
  for (const auto& row : r) {
    CatalogEntry e{row[0].c_str(), {}, row[4].c_str()};
    for (int i = 1; i <= 3; ++i) {
      if (!row[i].is_null()) {
        e.names.emplace_back(row[i].c_str());
      }
    }
    out.insert(std::move(e));
  }
  return out;
}

void
admin(const std::string& sql)
{
  pqxx::connection c(cluster_conninfo("postgres"));
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

// A copy of `source` (CREATE DATABASE ... TEMPLATE), retried while autovacuum is connected to it.
std::string
copy_of(const std::string& source)
{
  std::random_device rd;
  const auto name = fmt::format("sa_copy_{:08x}", rd());
  for (int attempt = 0;; ++attempt) {
    try {
      admin(fmt::format("create database {} template {}", name, source));
      return name;
    } catch (const pqxx::sql_error& e) {
      if (attempt == 50) {
        throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

struct Outcome
{
  std::vector<std::string> errors; // "SQLSTATE: statement: message"
  std::set<CatalogEntry> removed;  // before, gone or changed
  std::set<CatalogEntry> added;    // after, new or changed
};

// Runs `remediation` statement by statement (autocommit: CONCURRENTLY cannot run in a
// transaction block) on a copy of `dbname`, and diffs the catalog.
Outcome
run_remediation(const std::string& dbname, const std::string& remediation)
{
  const auto copy = copy_of(dbname);
  const auto before = catalog(copy);
  Outcome out;
  {
    pqxx::connection c(cluster_conninfo(copy));
    for (const auto& statement : split_statements(remediation)) {
      try {
        pqxx::nontransaction tx(c);
        tx.exec(statement);
      } catch (const pqxx::sql_error& e) {
        out.errors.push_back(fmt::format("{}: {}: {}", e.sqlstate(), statement, e.what()));
      }
    }
  }
  const auto after = catalog(copy);
  admin(fmt::format("drop database {} with (force)", copy));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::inserter(out.removed, out.removed.end()));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::inserter(out.added, out.added.end()));
  return out;
}

std::vector<std::string>
util_lines(const std::string& text)
{
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto eol = text.find('\n', start);
    out.push_back(text.substr(start, eol == std::string::npos ? std::string::npos : eol - start));
    start = eol == std::string::npos ? text.size() : eol + 1;
  }
  return out;
}

// The first control character of `text` other than newline, or -1.
int
first_control_character(const std::string& text)
{
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) {
      return u;
    }
  }
  return -1;
}

std::string
describe(const CatalogEntry& e)
{
  std::string names;
  for (const auto& n : e.names) {
    names += (names.empty() ? "" : " / ") + nlohmann::json(n).dump();
  }
  return fmt::format("{} {} [{}]", e.kind, names, e.properties);
}

} // namespace

TEST_CASE("hardening: hostile names are escaped in every output", "[hardening][hostile]")
{
  ScratchDb db;
  plant(db);
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("sa_hostile_{}", db.name());
  std::filesystem::create_directories(dir);
  const auto history = shell_quote((dir / "h.db").string());
  const auto audit = fmt::format("audit --db {} --history {} --no-progress", shell_quote(db.conninfo()), history);
  const auto index_object = qi(k_schema) + "." + qi(k_index); // labels quote identifiers as SQL does

  // JSON: valid, and the names come back byte for byte.
  const auto json_run = run_cli(audit + " --format json");
  INFO("stderr: " << json_run.err);
  REQUIRE(json_run.exit_code == 0);
  const auto parsed = nlohmann::json::parse(json_run.out);
  bool found = false;
  for (const auto& f : parsed.at("findings")) {
    found = found || (f.at("check_id") == "invalid_index" && f.at("object") == index_object);
  }
  CHECK(found);

  // Text: no control character but the line breaks of the layout; names shown escaped, so a
  // newline in a name cannot start a line of its own.
  const auto text_run = run_cli(audit + " --format text");
  REQUIRE(text_run.exit_code == 0);
  CHECK(first_control_character(text_run.out) == -1);
  CHECK_THAT(text_run.out, Catch::Contains("invalid_index  \"Ev1l \"\"sch\"\" \xc3\xbc|<script>x</script>\\x0a--\".\"idx "
                                           "\"\"'); drop index keep_me; --\\x0a<b>\""));
  for (const auto& line : util_lines(text_run.out)) {
    CHECK(line.rfind("--", 0) != 0);
    CHECK(line.rfind("<b>", 0) != 0);
  }

  // Markdown (of the audit and of the report) and HTML: markup in names is escaped; outside code
  // blocks no line starts with, or contains, the markup.
  const auto md_audit = run_cli(audit + " --format markdown");
  const auto md_report = run_cli(fmt::format("report --history {} --format markdown", history));
  const auto html_report = run_cli(fmt::format("report --history {} --format html", history));
  for (const auto* run : {&md_audit, &md_report, &html_report}) {
    INFO("stderr: " << run->err);
    REQUIRE(run->exit_code == 0);
  }
  CHECK_THAT(html_report.out, !Catch::Contains("<script>x</script>") && !Catch::Contains("<script>alert(1)")
                                && !Catch::Contains("<b>\xc3\xbc</b>"));
  for (const auto* run : {&md_audit, &md_report}) {
    CHECK_THAT(run->out, !Catch::Contains("\r")); // a carriage return ends a Markdown line too
    bool fenced = false;
    for (const auto& line : util_lines(run->out)) {
      fenced = line.rfind("```", 0) == 0 ? !fenced : fenced;
      if (fenced || line.rfind("    ", 0) == 0) {
        continue; // code: shown verbatim, never interpreted
      }
      INFO("markdown line: " << line);
      CHECK(line.find("<b>") == std::string::npos);
      CHECK(line.find("<script") == std::string::npos);
      CHECK(line.rfind("## heading", 0) != 0);
      CHECK(line.find("--\t|x") == std::string::npos); // the | of the table name is escaped
    }
  }
  CHECK_THAT(html_report.out, Catch::Contains("&lt;script&gt;x&lt;/script&gt;"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("hardening: remediation of hostile names touches exactly the named objects", "[hardening][hostile]")
{
  ScratchDb db;
  plant(db);
  const auto result = db.audit();
  const auto& invalid = finding(result, "invalid_index", qi(k_schema) + "." + qi(k_index));

  // The invalid index: REINDEX CONCURRENTLY makes it, and only it, valid.
  {
    const auto outcome = run_remediation(db.name(), invalid.remediation);
    INFO("remediation:\n" << invalid.remediation);
    CHECK(outcome.errors.empty());
    REQUIRE(outcome.removed.size() == 1);
    REQUIRE(outcome.added.size() == 1);
    const auto& was = *outcome.removed.begin();
    const auto& now = *outcome.added.begin();
    CHECK(was.names == std::vector<std::string>{k_schema, k_index});
    CHECK(now.names == was.names);
    CHECK_THAT(was.properties, Catch::StartsWith("i valid=false"));
    CHECK_THAT(now.properties, Catch::StartsWith("i valid=true"));
  }

  // Every finding with a remediation, whatever its check: it runs without syntax or
  // missing-object errors (a sign of broken quoting), and whatever it dropped or altered, it
  // named; it never touched the controls.
  std::size_t tried = 0;
  for (const auto& f : result.findings) {
    if (f.remediation.empty() || f.schema_name != k_schema) {
      continue;
    }
    ++tried;
    INFO(f.check_id << " on " << nlohmann::json(f.object).dump() << ", remediation:\n" << f.remediation);
    const auto outcome = run_remediation(db.name(), f.remediation);
    for (const auto& error : outcome.errors) {
      INFO(error);
      for (const auto* state : {"42601", "42P01", "42704", "3F000", "42703", "42P02"}) {
        CHECK(error.rfind(state, 0) != 0);
      }
    }
    const auto named = identifiers(f.remediation);
    for (const auto& e : outcome.removed) {
      INFO("changed or removed: " << describe(e));
      CHECK(e.names.front() != "public"); // the controls live in public; nothing here may touch them
      for (const auto& n : e.names) {
        CHECK(named.count(n));
      }
    }
    for (const auto& e : outcome.added) {
      INFO("changed or added: " << describe(e));
      CHECK(named.count(e.names.front()));
    }
  }
  CHECK(tried >= 1);
}
