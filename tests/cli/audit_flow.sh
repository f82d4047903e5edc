#!/usr/bin/env bash
# The main flow through the CLI: audit with the PG* environment (no --db), JSON output with a
# findings array, --fail-on exit codes, a snapshot per audit, --as-of stamping, history listing
# and a report from the history.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db flow)
psql -q -X -d "$db" <<'SQL'
create table t(id int, code text);
insert into t select g % 10, 'c' || g from generate_series(1, 100) g;
SQL
psql -q -X -d "$db" -c "create unique index concurrently t_id_key on t(id)" 2>/dev/null || true

export PGDATABASE=$db
run_sa audit --format json --history "$work/h.db" --as-of 2026-01-15T10:00:00Z
expect_rc 0
jq_count=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len([f for f in d["findings"] if f["check_id"]=="invalid_index"]))' <<<"$out")
[ "$jq_count" = 1 ] || fail "expected one invalid_index finding in JSON, got $jq_count"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["taken_at"]=="2026-01-15T10:00:00Z", d["taken_at"]' <<<"$out" \
  || fail "--as-of did not stamp the snapshot"

run_sa audit --fail-on critical --history "$work/h.db"
expect_rc 1
expect_out "invalid_index"

run_sa audit --fail-on critical --check no_such_check
expect_rc 2
expect_err "no such check"

run_sa audit --as-of "last tuesday"
expect_rc 2
expect_err "--as-of"

run_sa history --history "$work/h.db"
expect_rc 0
[ "$(grep -c "$db" <<<"$out")" = 2 ] || fail "expected 2 snapshots listed: $out"

run_sa report --history "$work/h.db" --format html --output "$work/r.html"
expect_rc 0
grep -q "t_id_key" "$work/r.html" || fail "report lacks the finding"

run_sa report --history "$work/missing.db"
expect_rc 4
expect_one_line_err
expect_err "does not exist"

run_sa report --history "$work/h.db" --db-name nope
expect_rc 2
expect_err "no snapshots of that database"
echo "ok"
