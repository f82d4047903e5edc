#!/usr/bin/env bash
# Each check's time in the audit JSON is the server time its statement took, whether it returned
# rows or none: a check's rows come through a cursor, and the time a read costs is in the declare
# and the fetches, the last (empty) fetch included. A check that finds nothing on a large schema
# still costs its plan (hundreds of milliseconds at 1,000 tenant schemas); the benchmark's
# per-check table and the sum of statement times (query_ms) are read from these figures.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db timings)
export PGDATABASE=$db
mkdir "$work/q"
# Both sleep 0.3 s in the server; one returns a row, the other none (its filter reads the
# sleep's result, so the planner cannot test it first, as a one-time filter, and skip the sleep).
cat >"$work/q/zz_sleeps_finds.sql" <<'SQL'
-- id: zz_sleeps_finds
-- category: test_sleep
-- title: Sleeps 0.3 s and returns one row
--
select 'slept' as object, 'table' as object_type, 'slept' as message
from (select pg_catalog.pg_sleep(0.3)) s
SQL
cat >"$work/q/zz_sleeps_empty.sql" <<'SQL'
-- id: zz_sleeps_empty
-- category: test_sleep
-- title: Sleeps 0.3 s and returns no row
--
select 'slept' as object, 'table' as object_type, 'slept' as message
from (select pg_catalog.pg_sleep(0.3) as slept) s
where s.slept::text = 'never'
SQL

run_sa audit --queries "$work/q" --check zz_sleeps_finds --check zz_sleeps_empty --format json --no-progress
expect_rc 0
python3 - "$out" <<'PY' || fail "unexpected timings: $out"
import json, sys
d = json.loads(sys.argv[1])
t = {x["check_id"]: x for x in d["timings"]}
assert t["zz_sleeps_finds"]["rows"] == 1, t
assert t["zz_sleeps_empty"]["rows"] == 0, t
for check in ("zz_sleeps_finds", "zz_sleeps_empty"):
    assert t[check]["ms"] >= 290, (check, t[check])
assert d["query_ms"] >= t["zz_sleeps_finds"]["ms"] + t["zz_sleeps_empty"]["ms"], d["query_ms"]
PY
echo ok
