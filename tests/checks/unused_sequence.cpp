#include "checks/fix_round_trip.hpp"
#include "model/remediation_kind.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace test;

namespace {

// A sequence never called and one an application called by name (both used by nothing in the
// catalog), one with a 60-character name; the controls: a serial's and an identity's sequences,
// one only a default names (no OWNED BY), one a view calls, one already renamed.
const std::string k_long_name(60, 'q');
const std::string k_plant = R"(
  create sequence $s.leftover_seq;
  create sequence $s.invoice_numbers;
  select nextval('$s.invoice_numbers') from generate_series(1, 41);
  create sequence $s.)" + k_long_name + R"(;
  create table $s.orders(id serial primary key, line bigint generated always as identity, ref bigint);
  create sequence $s.order_refs;
  alter table $s.orders alter column ref set default nextval('$s.order_refs');
  create sequence $s.ticket_numbers;
  create view $s.next_ticket as select nextval('$s.ticket_numbers') as n;
  create sequence $s.deprecated_batches;
  -- named only in the text of function bodies, which record no dependency (Lemmy's changeme_seq, through
  -- a function that is eleven columns' default); a name with a dot in it, and one the bodies only
  -- contain as part of a longer word
  create sequence $s.changeme_seq;
  create function $s.generate_unique_changeme() returns text language sql
    as $f$ select 'http://changeme.invalid/seq/' || nextval('$s.changeme_seq')::text $f$;
  create sequence $s."Odd.seq";
  create function $s.odd_next() returns bigint language plpgsql as $f$ begin return nextval('$s."Odd.seq"'); end $f$;
  create sequence $s.changeme_seq_v2;
  create table $s.people(id bigint primary key, ap_id text not null default $s.generate_unique_changeme());
)";

} // namespace

TEST_CASE("unused_sequence: a sequence nothing in the catalog uses is low when never called and info when called, "
          "serial, identity, default-only and view sequences are not flagged, and the rename retires it",
          "[checks][unused_sequence][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, k_plant);
  // the application at work: its tables take rows
  db.exec_with_stats(with_schema(schema, "insert into $s.orders default values"));
  const auto s = ident(schema);
  // Concourse's one_off_name, called by name for a rare `fly execute`, was low with the rename on
  // statistics minutes old (a bulk load): under stats_min_age_days it is info, the rename advice
  const auto young = finding(db.audit({"unused_sequence"}), "unused_sequence", s + ".leftover_seq");
  CHECK(young.severity == model::Severity::info);
  CHECK(young.message.find("under stats_min_age_days") != std::string::npos);
  CHECK(model::remediation_kind(young.remediation) == model::RemediationKind::advice);
  const auto result = db.audit({"unused_sequence"}, trusting_config()); // the counters judged old enough

  const auto& leftover = finding(result, "unused_sequence", s + ".leftover_seq");
  CHECK(leftover.severity == model::Severity::low);
  CHECK(leftover.evidence["called"] == false);
  CHECK(leftover.evidence["tables_written"] == true);
  CHECK(leftover.evidence["last_value"].is_null());
  CHECK(leftover.message.find("never called") != std::string::npos);
  CHECK(model::remediation_kind(leftover.remediation) == model::RemediationKind::script);
  // Called by name from the application, as far as the catalog can tell: info, and the rename only
  // as advice (pasted, it would break the caller at once).
  const auto& called = finding(result, "unused_sequence", s + ".invoice_numbers");
  CHECK(called.severity == model::Severity::info);
  CHECK(called.evidence["last_value"] == 41);
  CHECK(called.message.find("application code may still call nextval(") != std::string::npos);
  CHECK(model::remediation_kind(called.remediation) == model::RemediationKind::advice);
  CHECK(called.remediation.find("alter sequence " + s + ".invoice_numbers rename to deprecated_invoice_numbers;") !=
        std::string::npos);
  const auto& long_named = finding(result, "unused_sequence", s + "." + k_long_name);
  for (const char* control : {"orders_id_seq", "orders_line_seq", "order_refs", "ticket_numbers", "deprecated_batches",
                              "changeme_seq", "\"Odd.seq\""}) {
    CHECK_FALSE(has_finding(result, "unused_sequence", s + "." + control));
  }
  const auto& word = finding(result, "unused_sequence", s + ".changeme_seq_v2");
  CHECK(findings_of(result, "unused_sequence").size() == 4);

  // The rename: each alone and all in order; a caller by the old name now fails, the value stays,
  // and the renamed sequence is not flagged again. A name past 63 bytes is cut and hashed. The
  // advice runs nothing: the called sequence goes on.
  const auto fixed = check_every_fix_runs(db, {leftover, long_named, word}, {"unused_sequence"});
  run_psql_script(*fixed.copy, called.remediation);
  CHECK_THROWS(fixed.copy->exec(with_schema(schema, "select nextval('$s.leftover_seq')")));
  CHECK(fixed.copy->scalar(with_schema(schema, "select nextval('$s.deprecated_leftover_seq')")) == "1");
  CHECK(fixed.copy->scalar(with_schema(schema, "select nextval('$s.invoice_numbers')")) == "42");
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from pg_class where relkind = 'S' and relnamespace = "
                                               "'$s'::regnamespace and relname like 'deprecated_qqq%' "
                                               "and octet_length(relname) <= 63")) == "1");
  const auto after = fixed.copy->audit({"unused_sequence"});
  CHECK(findings_of(after, "unused_sequence").size() == 1);
  // the function-fed default still works
  fixed.copy->exec(with_schema(schema, "insert into $s.people(id) values (1)"));
  CHECK(has_finding(after, "unused_sequence", s + ".invoice_numbers"));
  // The controls still work after all of it.
  fixed.copy->exec(with_schema(schema, "insert into $s.orders default values; select * from $s.next_ticket"));

  // The undo renames it back.
  const auto undone =
    run_psql_script(*fixed.copy, leftover.undo + "\n" + called.undo + "\n" + long_named.undo + "\n" + word.undo);
  CHECK(undone.errors().empty());
  CHECK(findings_of(fixed.copy->audit({"unused_sequence"}), "unused_sequence").size() == 4);
}

TEST_CASE("unused_sequence: a schema no application wrote to yet gives no evidence: a sequence never called is info, "
          "with the rename as advice", "[checks][unused_sequence]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, "create sequence $s.leftover_seq; create table $s.orders(id bigint primary key, ref bigint);");
  const auto result = db.audit({"unused_sequence"});
  const auto& leftover = finding(result, "unused_sequence", ident(schema) + ".leftover_seq");
  CHECK(leftover.severity == model::Severity::info);
  CHECK(leftover.evidence["tables_written"] == false);
  CHECK(leftover.message.find("not enough evidence yet") != std::string::npos);
  CHECK(model::remediation_kind(leftover.remediation) == model::RemediationKind::advice);
}
