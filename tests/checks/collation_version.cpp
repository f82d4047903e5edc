#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <random>

using namespace test;

namespace {

// An ICU collation whose recorded version is set back, as a library upgrade leaves it, with
// indexes that sort by it and a control index in "C" order.
const char* const k_plant = R"(
  create collation $s.german (provider = icu, locale = 'de');
  create table $s.people(id bigint primary key, name text collate $s.german, code text collate "C");
  insert into $s.people select g, 'name ' || g, 'c' || g from generate_series(1, 500) g;
  create index people_name_idx on $s.people(name);
  create unique index people_name_code_key on $s.people(name, code);
  create index people_code_idx on $s.people(code);
  update pg_catalog.pg_collation set collversion = '1.0'
  where collname = 'german' and collnamespace = '$s'::regnamespace;
)";

// The reindex lines of a fix left out: what runs when they failed or were skipped.
std::string
without_reindexes(const std::string& script)
{
  std::string out;
  std::size_t start = 0;
  while (start < script.size()) {
    auto end = script.find('\n', start);
    end = end == std::string::npos ? script.size() : end + 1;
    const auto line = script.substr(start, end - start);
    if (line.rfind("reindex index concurrently", 0) != 0) {
      out += line;
    }
    start = end;
  }
  return out;
}

} // namespace

TEST_CASE("collation_version: a collation whose version changed names the indexes that sort by it, and the fix "
          "records the new version only once they are rebuilt",
          "[checks][versioned][collation_version][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto result = db.audit({"collation_version"});
  const auto s = ident(schema);
  REQUIRE(findings_of(result, "collation_version").size() == 1);
  const auto f = findings_of(result, "collation_version").front();
  CHECK(f.object == s + ".german");
  CHECK(f.object_type == "collation");
  CHECK(f.severity == model::Severity::high);
  CHECK(f.evidence["recorded_version"] == "1.0");
  CHECK(f.evidence["index_count"] == 2);
  CHECK(f.evidence["indexes"] == nlohmann::json{s + ".people_name_code_key", s + ".people_name_idx"});
  CHECK(f.remediation.find("reindex index concurrently " + s + ".people_name_idx;") != std::string::npos);
  CHECK(f.remediation.find("people_code_idx") == std::string::npos); // "C" order never changes

  const auto version = with_schema(schema, "select collversion = pg_collation_actual_version(oid) from pg_collation "
                                           "where collname = 'german' and collnamespace = '$s'::regnamespace");
  // With the rebuilds left out (failed, or never run), the version is not recorded.
  const auto skipped = run_fix_on_copy(db, without_reindexes(f.remediation));
  INFO(skipped.run.output);
  REQUIRE_FALSE(skipped.run.errors().empty());
  CHECK(skipped.run.errors()[0].find("not rebuilt yet: " + s + ".people_name_code_key, " + s + ".people_name_idx") !=
        std::string::npos);
  CHECK(skipped.copy->scalar(version) == "f");

  const auto fixed = run_fix_on_copy(db, f);
  INFO(f.remediation << "\n" << fixed.run.output);
  CHECK(fixed.run.errors().empty());
  CHECK(fixed.invalid.empty());
  CHECK(fixed.copy->scalar(version) == "t");
  CHECK(findings_of(fixed.copy->audit({"collation_version"}), "collation_version").empty());
}

TEST_CASE("collation_version: a database whose default collation changed, rebuilt and refreshed in place",
          "[checks][versioned][collation_version][roundtrip][not_pg13][not_pg14]")
{
  // An ICU database (the test cluster's own databases use C.UTF-8, which has no version), its
  // recorded version set back after an index on text was built. PostgreSQL refuses to copy a
  // database in that state, so the fix runs on it in place.
  ScratchDb admin;
  const auto name = fmt::format("sa_icu_{}", std::random_device{}());
  admin.exec(fmt::format("create database {} locale_provider icu icu_locale 'en' template template0", name));
  struct Drop
  {
    const ScratchDb& admin;
    std::string name;
    ~Drop()
    {
      try {
        admin.exec(fmt::format("drop database if exists {} with (force)", name));
      } catch (...) {
      }
    }
  } drop{admin, name};
  const auto conninfo = cluster_conninfo(name);
  REQUIRE(run_psql_script(conninfo, "create table words(w text); insert into words select 'w' || g from generate_series(1, 300) g;\n"
                                    "create index words_w_idx on words(w);\ncreate index words_len_idx on words(length(w));")
            .errors()
            .empty());
  admin.exec(fmt::format("update pg_database set datcollversion = '152.1' where datname = '{}'", name));

  const auto result = audit_conninfo(conninfo, {"collation_version"});
  REQUIRE(findings_of(result, "collation_version").size() == 1);
  const auto f = findings_of(result, "collation_version").front();
  CHECK(f.object == name);
  CHECK(f.object_type == "database");
  CHECK(f.evidence["index_count"] == 1); // words_w_idx; the expression index sorts integers
  CHECK(f.remediation.find(fmt::format("alter database {} refresh collation version;", name)) != std::string::npos);

  const auto run = run_psql_script(conninfo, f.remediation);
  INFO(f.remediation << "\n" << run.output);
  CHECK(run.errors().empty());
  CHECK(findings_of(audit_conninfo(conninfo, {"collation_version"}), "collation_version").empty());
}
