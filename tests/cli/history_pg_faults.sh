#!/usr/bin/env bash
# A PostgreSQL history that fails at save time, with real faults: its backend terminated by an
# admin (pg_terminate_backend from another session, while the save waits for a lock that session
# holds: deterministic), killed by idle_session_timeout while the audit runs, and a history role
# without INSERT. A lost connection is retried (reconnecting); when it keeps failing, or the
# statement is refused, the output is still written, the snapshot goes to a recovery file, and
# "history import" loads it later. Messages carry the server's own reason and SQLSTATE.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hpgfaults)
histdb=$(make_db hpgfaults_hist)
hist="dbname=$histdb"
cd "$work" # recovery files of a PostgreSQL history go to the current folder
run_sa audit --check invalid_index --history "$hist"
expect_rc 0
snapshots() { psql -qAtX -d "$histdb" -c "select count(*) from schema_audit.snapshots"; }

# hold_snapshots: another session takes a lock on schema_audit.snapshots that lets reads through
# but makes an insert wait; sets $holder.
hold_snapshots() {
  psql -qX -d "$histdb" -c "set application_name = 'lock_holder'" \
    -c "begin" -c "lock table schema_audit.snapshots in share mode" -c "select pg_sleep(300)" >/dev/null 2>&1 &
  holder=$!
  for _ in $(seq 1 100); do
    [ "$(psql -qAtX -d "$histdb" -c "select count(*) from pg_stat_activity where application_name = 'lock_holder' and wait_event = 'PgSleep'")" = 1 ] && return
    sleep 0.1
  done
  fail "the lock holder did not start"
}
release_snapshots() {
  psql -qAtX -d "$histdb" -c "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'lock_holder'" >/dev/null
  wait "$holder" 2>/dev/null || true
}
# terminate_waiting_saves: terminates the backends waiting for the lock on snapshots; prints how many.
terminate_waiting_saves() {
  psql -qAtX -d "$histdb" -c "select count(pg_terminate_backend(l.pid)) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'snapshots' and not l.granted"
}

# 1. Terminated once: the save reconnects, tries again and stores the snapshot.
hold_snapshots
"$bin" -v audit --check invalid_index --history "$hist" --format json -o "$work/out1.json" \
  >/dev/null 2>"$work/err1" </dev/null &
audit=$!
killed=0
for _ in $(seq 1 300); do
  killed=$(terminate_waiting_saves)
  [ "$killed" -gt 0 ] && break
  sleep 0.1
done
[ "$killed" -gt 0 ] || fail "the save never waited for the lock"
release_snapshots
rc=0
wait "$audit" || rc=$?
err=$(cat "$work/err1")
expect_rc 0
expect_err "terminating connection due to administrator command (SQLSTATE 57P01); trying again (2 of 3)"
grep -q "Could not obtain client encoding" <<<"$err" && fail "the server's reason was lost: $err"
[ "$(snapshots)" = 2 ] || fail "the retried save was not stored"

# 2. Terminated at every try: output written, snapshot kept in a recovery file, exit 4.
hold_snapshots
timeout 120 "$bin" audit --check invalid_index --history "$hist" --format json -o "$work/out2.json" \
  >/dev/null 2>"$work/err2" </dev/null &
audit=$!
while kill -0 "$audit" 2>/dev/null; do
  terminate_waiting_saves >/dev/null
  sleep 0.1
done
rc=0
wait "$audit" || rc=$?
release_snapshots
err=$(cat "$work/err2")
expect_rc 4
expect_one_line_err
expect_err "schema-audit: error: history database "
expect_err "terminating connection due to administrator command (SQLSTATE 57P01); the snapshot is kept in ./schema-audit-recovery-"
grep -q 't_id_key' "$work/out2.json" || fail "the audit's output was not written"
[ "$(snapshots)" = 2 ] || fail "a snapshot was half-written"
recovery=$(ls "$work"/schema-audit-recovery-*.db)
run_sa history import "$recovery" --history "$hist"
expect_rc 0
expect_out "imported 1 snapshot(s)"
[ "$(snapshots)" = 3 ] || fail "the imported snapshot is not in the history"
rm "$recovery"

# 3. A history role that may read but not insert: refused at once (no retry), real SQLSTATE.
reader="sa_hist_ro_$$_$RANDOM"
psql -qX -d "$histdb" -c "create role $reader login" -c "grant usage on schema schema_audit to $reader" \
  -c "grant select on all tables in schema schema_audit to $reader" >/dev/null
run_sa audit --check invalid_index --history "$hist user=$reader" --format json -o "$work/out3.json"
psql -qX -d "$histdb" -c "drop owned by $reader" -c "drop role $reader" >/dev/null
expect_rc 4
expect_one_line_err
expect_err "permission denied for table targets (SQLSTATE 42501); the snapshot is kept in ./schema-audit-recovery-"
grep -q 't_id_key' "$work/out3.json" || fail "the audit's output was not written"
recovery=$(ls "$work"/schema-audit-recovery-*.db)
run_sa history import "$recovery" --history "$hist"
expect_rc 0
[ "$(snapshots)" = 4 ] || fail "the imported snapshot is not in the history"
run_sa report --history "$hist" --format json
expect_rc 0
python3 - "$out" <<'PY' || fail "the report does not show the four snapshots: $out"
import json, sys
db = json.loads(sys.argv[1])["databases"][0]
assert len(db["snapshots"]) == 4, db["snapshots"]
PY

# 4. idle_session_timeout ends the history connection while a (slow) check runs: reconnected.
idle="sa_hist_idle_$$_$RANDOM"
psql -qX -d "$histdb" -c "create role $idle login superuser" -c "alter role $idle set idle_session_timeout = '1s'" >/dev/null
mkdir -p "$work/queries"
cat >"$work/queries/slow_check.sql" <<'SQL'
-- id: slow_check
-- category: slow_check
-- title: A check that takes three seconds
-- severity: info
-- effort: low
-- kind: findings
-- rationale: Keeps the audit busy longer than the history role's idle_session_timeout.
select 'x' as object, 'table' as object_type, 'never' as message
from (select pg_catalog.pg_sleep(3)::text as slept) s where s.slept = 'never' order by 1
SQL
run_sa -v audit --queries "$work/queries" --check slow_check --check invalid_index --history "$hist user=$idle"
psql -qX -d "$histdb" -c "drop role $idle" >/dev/null
expect_rc 0
expect_err "terminating connection due to idle-session timeout (SQLSTATE 57P05); trying again (2 of 3)"
[ "$(snapshots)" = 5 ] || fail "the save after idle_session_timeout was not stored"
echo ok
