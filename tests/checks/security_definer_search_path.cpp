#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

// A SECURITY DEFINER function reading a table by an unqualified name, one also revoked from
// PUBLIC, a procedure, and the controls: a definer function with a pinned path and an invoker
// function.
const char* const k_plant = R"(
  create table $s.secrets(v text);
  insert into $s.secrets values ('a'), ('b'), ('c');
  create function $s.count_secrets() returns bigint language plpgsql security definer
    as $$ begin return (select count(*) from secrets); end $$;
  create function $s.count_secrets_private() returns bigint language plpgsql security definer
    as $$ begin return (select count(*) from secrets); end $$;
  revoke execute on function $s.count_secrets_private() from public;
  create procedure $s.add_secret(v text) language plpgsql security definer
    as $$ begin insert into secrets values (v); end $$;
  create function $s.pinned() returns bigint language plpgsql security definer set search_path = pg_catalog, pg_temp
    as $$ begin return 1; end $$;
  create function $s.invoker() returns bigint language plpgsql as $$ begin return 1; end $$;
)";

} // namespace

TEST_CASE("security_definer_search_path: flags definer functions without a pinned path, graded by who may call them",
          "[checks][security_definer_search_path]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto result = db.audit({"security_definer_search_path"});
  const auto s = ident(schema);

  // owned by the cluster's superuser and executable by PUBLIC: high
  const auto& open = finding(result, "security_definer_search_path", s + ".count_secrets()");
  CHECK(open.severity == model::Severity::high);
  CHECK(open.object_type == "function");
  CHECK(open.evidence["public_execute"] == true);
  CHECK(open.remediation.find("alter function " + s + ".count_secrets() set search_path = pg_catalog, ") != std::string::npos);
  CHECK(open.remediation.find(", pg_temp;") != std::string::npos);
  CHECK(open.undo.find("alter function " + s + ".count_secrets() reset search_path;") != std::string::npos);
  CHECK(finding(result, "security_definer_search_path", s + ".count_secrets_private()").severity == model::Severity::medium);
  // a procedure's identity arguments carry their modes from PostgreSQL 14 on ("IN v text")
  const auto add_secret = s + (cluster_major() >= 14 ? ".add_secret(IN v text)" : ".add_secret(v text)");
  CHECK(finding(result, "security_definer_search_path", add_secret).object_type == "procedure");
  CHECK_FALSE(has_finding(result, "security_definer_search_path", s + ".pinned()"));
  CHECK_FALSE(has_finding(result, "security_definer_search_path", s + ".invoker()"));
  CHECK(findings_of(result, "security_definer_search_path").size() == 3);
}

TEST_CASE("security_definer_search_path: the pinned path stops a temporary table from standing in, and the functions still work",
          "[checks][security_definer_search_path][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto result = db.audit({"security_definer_search_path"});
  const auto& f = finding(result, "security_definer_search_path", ident(schema) + ".count_secrets()");
  // A caller's temporary table of the same name: pg_temp is searched first when the path does
  // not list it, so before the fix the function counts the caller's rows, not the real ones.
  const auto hijack = with_schema(schema, "create temp table secrets(v text); select $s.count_secrets()");
  CHECK(db.scalar(hijack) == "0");
  std::string all;
  for (const auto& each : findings_of(result, "security_definer_search_path")) {
    all += each.remediation + "\n";
  }
  const auto fixed = run_fix_on_copy(db, all);
  INFO(all << "\n" << fixed.run.output);
  CHECK(fixed.run.errors().empty());
  CHECK(findings_of(fixed.copy->audit({"security_definer_search_path"}), "security_definer_search_path").empty());
  CHECK(fixed.copy->scalar(hijack) == "3");
  CHECK(fixed.copy->scalar(with_schema(schema, "call $s.add_secret('d'); select count(*) from $s.secrets")) == "4");
  // the undo puts it back as it was
  CHECK(run_psql_script(*fixed.copy, f.undo).errors().empty());
  CHECK(has_finding(fixed.copy->audit({"security_definer_search_path"}), "security_definer_search_path", f.object));
}
