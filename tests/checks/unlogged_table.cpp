#include "checks/fix_round_trip.hpp"
#include "support/remediation_run.hpp"
#include "support/test_db.hpp"

#include <catch2/catch.hpp>

using namespace test;

TEST_CASE("unlogged_table: an unlogged table others point at is low, a cache is info, a large one keeps its fix for a "
          "window, and SET LOGGED makes it crash-safe",
          "[checks][versioned][unlogged_table][roundtrip]")
{
  const std::string schema = GENERATE(as<std::string>{}, k_public_schema, k_custom_schema);
  ScratchDb db;
  db.plant(schema, R"(
    create unlogged table $s.sessions(id bigint primary key, data text);
    insert into $s.sessions select g, 'x' from generate_series(1, 100) g;
    create unlogged table $s.session_events(id bigint primary key, session_id bigint references $s.sessions(id));
    create unlogged table $s.page_cache(key text primary key, body text);
    insert into $s.page_cache select 'k' || g, repeat('b', 200) from generate_series(1, 2000) g;
    create table $s.users(id bigint primary key);
    -- Synapse's worker locks: two unlogged tables that reference each other (neither's SET LOGGED
    -- can go first), and a chain of two levels
    create unlogged table $s.locks(name text, key text, token text, write_lock bool, primary key (name, key, token));
    create unlogged table $s.lock_modes(name text, key text, write_lock bool, token text, primary key (name, key, write_lock));
    alter table $s.locks add constraint locks_mode_fkey foreign key (name, key, write_lock) references $s.lock_modes;
    alter table $s.lock_modes add constraint lock_modes_lock_fkey foreign key (name, key, token) references $s.locks
      deferrable initially deferred;
    create unlogged table $s.event_notes(id bigint primary key, event_id bigint references $s.session_events(id));
    -- Danbooru's rate_limits: an unlogged table that owns a logged sequence (made before it was owned),
    -- which from PostgreSQL 15 its SET UNLOGGED would make unlogged too
    create unlogged table $s.rate_limits(id bigint primary key, key text not null);
    create sequence $s.rate_limits_id_seq;
    alter sequence $s.rate_limits_id_seq owned by $s.rate_limits.id;
    alter table $s.rate_limits alter column id set default nextval('$s.rate_limits_id_seq');
  )");
  const auto result = db.audit({"unlogged_table"});
  const auto s = ident(schema);
  CHECK(findings_of(result, "unlogged_table").size() == 7);
  const auto& sessions = finding(result, "unlogged_table", s + ".sessions");
  CHECK(sessions.severity == model::Severity::low);
  CHECK(sessions.evidence["referenced_by"] == nlohmann::json{s + ".session_events.session_events_session_id_fkey"});
  CHECK(finding(result, "unlogged_table", s + ".page_cache").severity == model::Severity::info);
  CHECK_FALSE(has_finding(result, "unlogged_table", s + ".users"));

  // Past window_bytes the statement is there, commented out, for a maintenance window.
  auto config = audit::default_config();
  config.checks["unlogged_table"].params["window_bytes"] = "1";
  config.checks["unlogged_table"].params["large_bytes"] = "100000";
  const auto large = db.audit({"unlogged_table"}, config);
  const auto& cache = finding(large, "unlogged_table", s + ".page_cache");
  CHECK(cache.severity == model::Severity::medium);
  CHECK(cache.remediation.rfind("-- if it is not a cache", 0) == 0);
  CHECK(cache.remediation.find("\nalter table") == std::string::npos);

  // The referencing table's fix makes the table it points at logged first (a logged table cannot
  // point at an unlogged one); each fix runs alone, and all of them one after the other.
  const auto fixed = check_every_fix_runs(db, findings_of(result, "unlogged_table"), {"unlogged_table"});
  CHECK(fixed.copy->scalar(with_schema(schema, "select relpersistence from pg_class where oid = '$s.sessions'::regclass")) == "p");
  CHECK(fixed.copy->scalar(with_schema(schema, "select count(*) from $s.sessions")) == "100");
  CHECK(fixed.copy->scalar(with_schema(schema, "select relpersistence from pg_class where oid = '$s.session_events'::regclass")) == "p");
  const auto keys = with_schema(schema, "select string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' order by conname) "
                                        "from pg_constraint where conrelid in ('$s.locks'::regclass, '$s.lock_modes'::regclass) "
                                        "and contype = 'f'");
  CHECK(fixed.copy->scalar(keys) == db.scalar(keys));

  // The cycle: one fix makes both logged, keeping both keys (deferral included); the undo makes both
  // unlogged again.
  const auto& locks = finding(result, "unlogged_table", s + ".locks");
  CHECK(locks.remediation.find("with the unlogged tables it reaches through foreign keys") != std::string::npos);
  ScratchDb copy(db.name());
  const auto run = run_psql_script(copy, locks.remediation);
  INFO(run.output);
  CHECK(run.errors().empty());
  const auto persistence = with_schema(schema, "select string_agg(relname || ':' || relpersistence::text, ',' order by relname) from pg_class "
                                               "where oid in ('$s.locks'::regclass, '$s.lock_modes'::regclass)");
  CHECK(copy.scalar(persistence) == "lock_modes:p,locks:p");
  CHECK(copy.scalar(keys) == db.scalar(keys));
  const auto undone = run_psql_script(copy, locks.undo);
  INFO(undone.output);
  CHECK(undone.errors().empty());
  CHECK(copy.scalar(persistence) == "lock_modes:u,locks:u");
  CHECK(copy.scalar(keys) == db.scalar(keys));

  // The undo gives the owned sequence back its persistence (logged), whatever SET UNLOGGED did to it.
  const auto& limits = finding(result, "unlogged_table", s + ".rate_limits");
  const auto seq = with_schema(schema, "select relpersistence from pg_class where oid = '$s.rate_limits_id_seq'::regclass");
  REQUIRE(copy.scalar(seq) == "p");
  const auto limited = run_psql_script(copy, limits.remediation + "\n" + limits.undo);
  INFO(limited.output);
  CHECK(limited.errors().empty());
  CHECK(copy.scalar(with_schema(schema, "select relpersistence from pg_class where oid = '$s.rate_limits'::regclass")) == "u");
  CHECK(copy.scalar(seq) == "p");
  const bool sequences_follow = std::stoi(db.scalar("show server_version_num").value_or("0")) >= 150000;
  CHECK((limits.undo.find("alter sequence " + s + ".rate_limits_id_seq set logged;") != std::string::npos) == sequences_follow);
}
