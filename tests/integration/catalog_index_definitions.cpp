// The catalog's index definitions (queries/inputs/catalog.sql, audit/read_catalog.cpp): written
// from attnums rather than by pg_get_indexdef(), they must still read as it writes them, operator
// classes and collations included when they are not the default, so that an index rebuilt with
// another operator class or collation is a change of the schema's history. Runs on every major
// of the matrix ([catalog]).
#include "support/test_db.hpp"

#include "model/catalog.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace test;

namespace {

// The indexes of `catalog`: label -> definition.
std::map<std::string, std::string>
index_definitions(const model::Catalog& catalog)
{
  std::map<std::string, std::string> out;
  for (const auto& o : catalog) {
    if (o.kind == "index") {
      out.emplace(o.label, model::attributes_of(o)["definition"]);
    }
  }
  return out;
}

// The definitions of the server's own pg_get_indexdef() from "USING" on, by label, for the indexes
// of `schema` (a name without a single quote) on a column list (an expression key is written in parentheses of its own by the
// catalog, where pg_get_indexdef() leaves a function call bare).
std::map<std::string, std::string>
server_definitions(const ScratchDb& db, const std::string& schema)
{
  const auto rows = db.scalar(R"(
    select string_agg(format('%I.%I.%I', n.nspname, t.relname, i.relname) || '=' ||
                      substring(pg_catalog.pg_get_indexdef(x.indexrelid) from ' (USING .*)$'), E'\n' order by i.relname)
    from pg_catalog.pg_index x
    join pg_catalog.pg_class i on i.oid = x.indexrelid
    join pg_catalog.pg_class t on t.oid = x.indrelid
    join pg_catalog.pg_namespace n on n.oid = t.relnamespace
    where x.indexprs is null and n.nspname = ')" + schema + "'");
  std::map<std::string, std::string> out;
  std::string text = rows.value_or("");
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    const auto line = text.substr(pos, end - pos);
    const auto eq = line.find("=USING ");
    out.emplace(line.substr(0, eq), line.substr(eq + 1));
    pos = end + 1;
  }
  return out;
}

const char* const k_people = R"(
  create extension if not exists pg_trgm;
  create table $s.people(id bigint primary key, email text, name text, code varchar(20), tags jsonb,
                         nick text collate "C", n integer);
  create index people_email_pattern on $s.people (email text_pattern_ops);
  create index people_name_c on $s.people (name collate "C" desc);
  create index people_code_pattern on $s.people (code varchar_pattern_ops, name) include (n);
  create index people_tags_path on $s.people using gin (tags jsonb_path_ops);
  create index people_name_trgm on $s.people using gist (name gist_trgm_ops (siglen = 32));
  create index people_lower_email on $s.people (lower(email) collate "POSIX" text_pattern_ops) where n > 0;
  -- the controls: default operator classes and collations, which the definition leaves out
  create index people_nick on $s.people (nick);
  create index people_name_n on $s.people (name, n desc nulls last);
  create index people_tags on $s.people using gin (tags);
)";

} // namespace

TEST_CASE("catalog index definitions: operator classes and collations read as pg_get_indexdef writes them",
          "[integration][catalog]")
{
  const std::string schema = GENERATE(as<std::string>(), k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_people);
  // pg_trgm in the custom schema's run lives in public, on the search path: its operator
  // class is written unqualified, as pg_get_indexdef() writes it.
  const auto result = db.audit({"no_primary_key"});
  REQUIRE(result.catalog);
  const auto ours = index_definitions(result.catalog->whole());
  const auto theirs = server_definitions(db, schema);
  REQUIRE(theirs.size() == 9); // every index but the expression's
  for (const auto& [label, definition] : theirs) {
    INFO(label);
    REQUIRE(ours.count(label));
    CHECK(ours.at(label) == definition);
  }
  const auto prefix = ident(schema) + ".people.";
  CHECK(ours.at(prefix + "people_email_pattern") == "USING btree (email text_pattern_ops)");
  CHECK(ours.at(prefix + "people_name_c") == "USING btree (name COLLATE \"C\" DESC)");
  CHECK(ours.at(prefix + "people_code_pattern") == "USING btree (code varchar_pattern_ops, name) INCLUDE (n)");
  CHECK(ours.at(prefix + "people_tags_path") == "USING gin (tags jsonb_path_ops)");
  CHECK(ours.at(prefix + "people_name_trgm") == "USING gist (name gist_trgm_ops (siglen='32'))");
  // pg_get_indexdef() writes a function call bare; the catalog keeps its own parentheses
  CHECK(ours.at(prefix + "people_lower_email") ==
        "USING btree ((lower(email)) COLLATE \"POSIX\" text_pattern_ops) WHERE (n > 0)");
  // the controls: as the catalog wrote them before it recorded operator classes and collations
  CHECK(ours.at(prefix + "people_nick") == "USING btree (nick)");
  CHECK(ours.at(prefix + "people_name_n") == "USING btree (name, n DESC NULLS LAST)");
  CHECK(ours.at(prefix + "people_tags") == "USING gin (tags)");
  CHECK(ours.at(prefix + "people_pkey") == "USING btree (id)");
}

TEST_CASE("catalog index definitions: an index rebuilt with another operator class or collation is altered, "
          "the others are not",
          "[integration][catalog]")
{
  ScratchDb db;
  db.plant(k_public_schema, k_people);
  const auto before = db.audit({"no_primary_key"});
  REQUIRE(before.catalog);
  // rebuilt under the same names: one with the default operator class, one with another
  // collation, one with another operator class; the others untouched
  db.exec(R"(
    drop index people_email_pattern; create index people_email_pattern on people (email);
    drop index people_name_c; create index people_name_c on people (name collate "POSIX" desc);
    drop index people_tags; create index people_tags on people using gin (tags jsonb_path_ops);
  )");
  const auto after = db.audit({"no_primary_key"});
  REQUIRE(after.catalog);

  std::vector<std::string> lines;
  for (const auto& c : model::catalog_changes(before.catalog->whole(), after.catalog->whole())) {
    lines.push_back(model::describe(c));
  }
  CHECK(lines == std::vector<std::string>{
                   "index public.people.people_email_pattern: definition USING btree (email text_pattern_ops) "
                   "\xE2\x86\x92 USING btree (email)",
                   "index public.people.people_name_c: definition USING btree (name COLLATE \"C\" DESC) "
                   "\xE2\x86\x92 USING btree (name COLLATE \"POSIX\" DESC)",
                   "index public.people.people_tags: definition USING gin (tags) \xE2\x86\x92 USING gin (tags "
                   "jsonb_path_ops)",
                 });
}
