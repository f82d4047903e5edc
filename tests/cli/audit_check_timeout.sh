#!/usr/bin/env bash
# A slow check does not stall the audit: one stuck behind a lock another session holds (ACCESS
# EXCLUSIVE on a table) hits lock_timeout, one that runs too long hits statement_timeout. Each is
# recorded as skipped with a reason that says it timed out, in the output and in the stored
# snapshot, and the other checks still report their findings. A check whose rows trickle in
# (each page of its cursor within the timeout, all of them not) times out as a whole: the timeout
# bounds the check, not each fetch.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

db=$(plant_db htimeout)
export PGDATABASE=$db
psql -q -X -c "create table busy(id int)"
mkdir "$work/q"
cat >"$work/q/zz_locked.sql" <<'SQL'
-- id: zz_locked
-- category: test_locked
-- title: Reads the size of a locked table
--
select 'busy' as object, 'table' as object_type, 'size read' as message
where pg_catalog.pg_relation_size('public.busy') >= 0
SQL
cat >"$work/q/zz_slow.sql" <<'SQL'
-- id: zz_slow
-- category: test_slow
-- title: Takes 60 seconds
--
select 'slow' as object, 'table' as object_type, 'slept' as message from pg_catalog.pg_sleep(60)
SQL
cat >"$work/q/zz_trickle.sql" <<'SQL'
-- id: zz_trickle
-- category: test_trickle
-- title: Sends 4,000 rows, a sleep of a millisecond (about 2 ms) every other row
--
select 'trickle ' || g as object, 'table' as object_type, 'trickled' as message
from pg_catalog.generate_series(1, 4000) g
cross join lateral (select pg_catalog.pg_sleep(0.001 * (g % 2))) s
SQL

# Another session holds ACCESS EXCLUSIVE on busy until it is killed.
psql -q -X -c "begin; lock table busy in access exclusive mode; select pg_sleep(120);" >/dev/null 2>&1 &
locker=$!
trap 'kill $locker 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 100); do
  [ "$(psql -AtX -c "select count(*) from pg_locks l join pg_class c on c.oid = l.relation
                      where c.relname = 'busy' and l.mode = 'AccessExclusiveLock' and l.granted")" = 1 ] && break
  sleep 0.1
done

start=$(date +%s)
run_sa audit --queries "$work/q" --check zz_locked --check zz_slow --check zz_trickle --check invalid_index \
  --lock-timeout 300 --statement-timeout 2000 --format json --history "$work/h.db"
took=$(( $(date +%s) - start ))
expect_rc 0
[ "$took" -lt 30 ] || fail "the audit waited ${took}s for the slow checks"
python3 - "$out" <<'PY' || fail "unexpected audit result: $out"
import json, sys
d = json.loads(sys.argv[1])
skipped = {s["check_id"]: s["reason"] for s in d["skipped"]}
assert "timed out waiting for a lock (lock_timeout)" in skipped["zz_locked"], skipped
assert "timed out (statement_timeout)" in skipped["zz_slow"], skipped
assert "timed out (statement_timeout)" in skipped["zz_trickle"], skipped
assert not [f for f in d["findings"] if f["check_id"] == "zz_trickle"], "the pages read before the timeout were kept"
assert [f["object"] for f in d["findings"] if f["check_id"] == "invalid_index"] == ["public.t_id_key"], d["findings"]
PY
stored=$(sqlite3 "$work/h.db" "select check_id || ': ' || reason from skipped_checks order by check_id")
grep -q "^zz_locked: timed out waiting for a lock" <<<"$stored" || fail "snapshot lacks the lock timeout: $stored"
grep -q "^zz_slow: timed out (statement_timeout)" <<<"$stored" || fail "snapshot lacks the statement timeout: $stored"
grep -q "^zz_trickle: timed out (statement_timeout)" <<<"$stored" || fail "snapshot lacks the trickle's timeout: $stored"
[ "$(sqlite3 "$work/h.db" "select count(*) from findings where check_id = 'invalid_index'")" = 1 ] \
  || fail "the snapshot lacks the invalid_index finding"
echo "ok"
