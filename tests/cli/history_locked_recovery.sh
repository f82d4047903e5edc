#!/usr/bin/env bash
# Another process holds the history file's write lock (a real SQLite lock: BEGIN EXCLUSIVE with
# a write, held open) for longer than the 30 s an audit waits. The audit still delivers its
# output (written beside the save), stores nothing half-way, keeps the snapshot in a recovery
# file beside the history, says where in one line, and exits 4. Once the lock is gone, "history
# import" loads the snapshot and the report shows it; importing again stores nothing twice.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hlocked)
run_sa audit --check invalid_index --history "$work/h.db" --as-of 2026-01-01
expect_rc 0

hold_history "$work/h.db" "begin exclusive; insert into targets(name, host, port, dbname) values ('lock-holder', '', '', '')"

rc=0
timeout 120 "$bin" audit --check invalid_index --history "$work/h.db" --format json -o "$work/out.json" \
  >/dev/null 2>"$work/err" </dev/null || rc=$?
err=$(cat "$work/err")
expect_rc 4
expect_one_line_err
expect_err "schema-audit: error: history file $work/h.db: cannot start writing: database is locked"
expect_err "; the snapshot is kept in $work/schema-audit-recovery-"
expect_err "\"schema-audit history import $work/schema-audit-recovery-"
grep -q 't_id_key' "$work/out.json" || fail "the audit's output was not written: $(cat "$work/out.json")"
recovery=$(ls "$work"/schema-audit-recovery-*.db)
[ "$(wc -l <<<"$recovery")" = 1 ] || fail "expected one recovery file: $recovery"
[ "$(sqlite3 "$recovery" 'select count(*) from snapshots')" = 1 ] || fail "the recovery file holds no snapshot"

release_history
[ "$(sqlite3 "$work/h.db" 'pragma integrity_check')" = ok ] || fail "integrity_check failed"
[ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 1 ] || fail "a snapshot was half-written"

run_sa history import "$recovery" --history "$work/h.db"
expect_rc 0
expect_out "imported 1 snapshot(s) from $recovery into $work/h.db"
run_sa report --history "$work/h.db" --format json
expect_rc 0
python3 - "$out" <<'PY' || fail "the imported snapshot is not in the report: $out"
import json, sys
db = json.loads(sys.argv[1])["databases"][0]
assert len(db["snapshots"]) == 2, db["snapshots"]
f = next(f for f in db["findings"] if f["object"].endswith("t_id_key"))
assert f["first_seen"] == "2026-01-01" and f["snapshots_seen"] == 2, f
PY
run_sa history import "$recovery" --history "$work/h.db"
expect_rc 0
expect_out "imported 0 snapshot(s) from $recovery into $work/h.db (1 already there)"
[ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 2 ] || fail "importing twice stored a snapshot twice"
run_sa history import "$work/no-such-recovery.db" --history "$work/h.db"
expect_rc 2
expect_one_line_err
expect_err "recovery file $work/no-such-recovery.db does not exist"
echo ok
