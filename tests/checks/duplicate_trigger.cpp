#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("duplicate_trigger: a trigger that repeats another of its table is dropped while that one stays, and the undo "
          "creates it again",
          "[checks][duplicate_trigger][roundtrip]")
{
  // Ente: three identical updated_at triggers on families, two named for the tables they were
  // meant for, which have none
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create function $s.touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
    create function $s.log_change() returns trigger language plpgsql as $$ begin insert into $s.changes values (tg_table_name); return null; end $$;
    create table $s.changes(table_name text);
    create table $s.families(id bigint primary key, updated_at timestamptz);
    create trigger update_families_updated_at before update on $s.families for each row execute function $s.touch();
    create trigger update_emergency_contact_updated_at before update on $s.families for each row execute function $s.touch();
    create trigger update_emergency_recovery_updated_at before update on $s.families for each row execute function $s.touch();
    -- after the change: its side effect twice
    create trigger families_log after update on $s.families for each row execute function $s.log_change();
    create trigger families_log_again after update on $s.families for each row execute function $s.log_change();
    comment on trigger families_log_again on $s.families is 'copied from the accounts migration';
    -- controls: another event, another column list, a condition, a disabled repeat, another table
    create trigger families_touch_insert before insert on $s.families for each row execute function $s.touch();
    create trigger families_touch_id before update of id on $s.families for each row execute function $s.touch();
    create trigger families_touch_when before update on $s.families for each row when (old.id <> new.id) execute function $s.touch();
    create trigger families_touch_off before update on $s.families for each row execute function $s.touch();
    alter table $s.families disable trigger families_touch_off;
    create table $s.contacts(id bigint primary key, updated_at timestamptz);
    create trigger update_contacts_updated_at before update on $s.contacts for each row execute function $s.touch();
    insert into $s.families values (1, null);
  )");
  const auto result = db.audit({"duplicate_trigger"});
  const auto s = ident(schema);
  const auto rows = findings_of(result, "duplicate_trigger");
  CHECK(rows.size() == 3);
  const auto& contact = finding(result, "duplicate_trigger", s + ".families.update_emergency_recovery_updated_at");
  CHECK(contact.severity == model::Severity::low);
  CHECK(contact.evidence.at("repeats") == "update_emergency_contact_updated_at");
  CHECK(contact.message.find("its function runs twice for every write; if it was meant for another table") != std::string::npos);
  CHECK(has_finding(result, "duplicate_trigger", s + ".families.update_families_updated_at"));
  CHECK_FALSE(has_finding(result, "duplicate_trigger", s + ".families.update_emergency_contact_updated_at"));
  const auto& log = finding(result, "duplicate_trigger", s + ".families.families_log_again");
  CHECK(log.severity == model::Severity::medium);
  CHECK(log.evidence.at("repeats") == "families_log");
  for (const auto* control : {"families_touch_insert", "families_touch_id", "families_touch_when", "families_touch_off"}) {
    INFO(control);
    CHECK_FALSE(has_finding(result, "duplicate_trigger", s + ".families." + control));
  }

  // the fixes run together: one trigger of each kind is left, an update logs one change
  ScratchDb copy(db.name());
  for (const auto& f : rows) {
    INFO(f.remediation);
    CHECK(run_psql_script(copy, f.remediation).errors().empty());
  }
  CHECK(findings_of(copy.audit({"duplicate_trigger"}), "duplicate_trigger").empty());
  copy.exec(with_schema(schema, "update $s.families set id = 1"));
  CHECK(copy.scalar(with_schema(schema, "select count(*) from $s.changes")) == "1");
  // run again, nothing changes
  for (const auto& f : rows) {
    const auto again = run_again(copy, f.remediation);
    CHECK(again.run.errors().empty());
    CHECK(again.changed.empty());
  }
  // the undos create them again as they were
  for (const auto& f : rows) {
    CHECK(run_psql_script(copy, f.undo).errors().empty());
  }
  CHECK(definition_changes(schema_definitions(db), schema_definitions(copy)).empty());
  CHECK(copy.scalar(with_schema(schema, "select count(*) from pg_trigger where tgrelid = '$s.families'::regclass")) == "9");
  CHECK(copy.scalar(with_schema(schema, "select obj_description(oid, 'pg_trigger') from pg_trigger "
                                        "where tgrelid = '$s.families'::regclass and tgname = 'families_log_again'")) ==
        "copied from the accounts migration");

  // the trigger it repeats is gone before the fix runs: the repeat stays
  ScratchDb gone(db.name());
  gone.exec(with_schema(schema, "drop trigger families_log on $s.families"));
  const auto kept = run_psql_script(gone, log.remediation);
  CHECK(kept.errors().empty());
  CHECK(kept.output.find("families_log is gone or disabled: families_log_again stays") != std::string::npos);
  CHECK(gone.scalar(with_schema(schema, "select count(*) from pg_trigger where tgrelid = '$s.families'::regclass "
                                        "and tgname = 'families_log_again'")) == "1");
}
