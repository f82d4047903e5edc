#include "checks/fix_round_trip.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

namespace {

// A child whose foreign key's triggers were switched off (DISABLE TRIGGER ALL before a bulk
// load), a table whose own trigger is off, and the parent and a plain table as controls.
const char* const k_plant = R"(
  create table $s.accounts(id bigint primary key);
  create table $s.invoices(id bigint primary key, account_id bigint references $s.accounts(id));
  insert into $s.accounts select g from generate_series(1, 10) g;
  insert into $s.invoices select g, 1 + g % 10 from generate_series(1, 100) g;
  alter table $s.invoices disable trigger all;
  create table $s.notes(id bigint primary key, body text, edits int not null default 0);
  create function $s.count_edit() returns trigger language plpgsql as $$ begin new.edits := old.edits + 1; return new; end $$;
  create trigger notes_count_edit before update on $s.notes for each row execute function $s.count_edit();
  alter table $s.notes disable trigger notes_count_edit;
  create table $s.plain(id bigint primary key);
)";

} // namespace

TEST_CASE("disabled_trigger: a foreign key's disabled triggers are high, a table's own low, and the fix enables them "
          "unless a row broke the key meanwhile",
          "[checks][disabled_trigger][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  const auto result = db.audit({"disabled_trigger"});
  const auto s = ident(schema);

  const auto& invoices = finding(result, "disabled_trigger", s + ".invoices");
  CHECK(invoices.severity == model::Severity::high);
  CHECK(invoices.evidence["foreign_keys_unenforced"] == nlohmann::json{"invoices_account_id_fkey"});
  const auto& notes = finding(result, "disabled_trigger", s + ".notes");
  CHECK(notes.severity == model::Severity::low);
  CHECK(notes.evidence["own_triggers"] == nlohmann::json{"notes_count_edit"});
  CHECK_FALSE(has_finding(result, "disabled_trigger", s + ".accounts"));
  CHECK_FALSE(has_finding(result, "disabled_trigger", s + ".plain"));
  CHECK(findings_of(result, "disabled_trigger").size() == 2);

  // No row broke the key: the triggers come back and the key is enforced again.
  const auto fixed = check_every_fix_runs(db, findings_of(result, "disabled_trigger"), {"disabled_trigger"});
  CHECK_THROWS(fixed.copy->exec(with_schema(schema, "insert into $s.invoices values (1000, 999)")));
  fixed.copy->exec(with_schema(schema, "insert into $s.notes values (1, 'a'); update $s.notes set body = 'b'"));
  CHECK(fixed.copy->scalar(with_schema(schema, "select edits from $s.notes")) == "1");

  // An invoice without an account got in while they were off: the fix stops and names it.
  const auto stopped = check_fix_stops(db, invoices, with_schema(schema, "insert into $s.invoices values (1000, 999)"),
                                       {"foreign key invoices_account_id_fkey: 1 rows have no parent", "list them with: select"});
  CHECK(stopped.still_reported(invoices));
}
