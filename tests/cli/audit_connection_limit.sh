#!/usr/bin/env bash
# --jobs asks for more connections than the auditing role may open (CONNECTION LIMIT 2, then
# 1): the audit runs on the connections it gets, says so with -v, and reports as usual; the
# sequence values, read on a connection of their own when there is one to spare, are read in the
# audit's transaction instead.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

db=$(plant_db hlimit)
role="sa_limited_$$"
psql -q -X -d "$db" -c "create role $role login connection limit 2; grant pg_monitor to $role"
trap 'dropdb --if-exists --force "$db" >/dev/null 2>&1 || true; psql -q -X -c "drop role if exists $role" >/dev/null 2>&1 || true; cleanup' EXIT

for limit in 2 1; do
  psql -q -X -d "$db" -c "alter role $role connection limit $limit"
  for _ in $(seq 1 100); do # the previous audit's backends are gone
    [ "$(psql -AtX -c "select count(*) from pg_stat_activity where usename = '$role'")" = 0 ] && break
    sleep 0.1
  done
  run_sa -v audit --db "dbname=$db user=$role" --jobs 4 --format json
  expect_rc 0
  expect_err "running checks on $limit of 4 connections"
  expect_err "input sequence_values: read in the audit's transaction, as no session of its own could be opened"
  python3 - "$out" <<'PY' || fail "limit $limit: unexpected audit result: $out"
import json, sys
d = json.loads(sys.argv[1])
assert [f["object"] for f in d["findings"] if f["check_id"] == "invalid_index"] == ["public.t_id_key"], d["findings"]
assert not any(s["failed"] for s in d["skipped"]), d["skipped"]
PY
done
echo "ok"
