#!/usr/bin/env bash
# Histories written by every schema version of the history file (tests/fixtures/history_vN.sqlite,
# one per history/NNNN_*.sql, each made by the schema-audit of its day) open, migrate to the
# current version, report their snapshot, and take new snapshots.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

# One fixture per migration file (numbers may have gaps while branches that add migrations merge).
versions=$(ls "$src"/history/[0-9][0-9][0-9][0-9]_*.sql | sed 's|.*/||' | cut -c1-4 | sort -u | sed 's/^0*//')
current=$(echo "$versions" | tail -n 1)
for v in $versions; do
  [ -f "$src/tests/fixtures/history_v$v.sqlite" ] \
    || fail "no fixture for history schema $v: add tests/fixtures/history_v$v.sqlite (see tests/fixtures/README.md)"
done

export PGDATABASE=$(plant_db hupgrade)
for fixture in "$src"/tests/fixtures/history_v*.sqlite; do
  v=${fixture##*_v}
  v=${v%.sqlite}
  cp "$fixture" "$work/h.db"
  [ "$(sqlite3 "$work/h.db" 'pragma user_version')" = "$v" ] || fail "$fixture is not at schema $v"

  run_sa history --history "$work/h.db" --json
  expect_rc 0
  python3 - "$out" <<'PY' || fail "$fixture: the stored snapshot did not come back: $out"
import json, sys
snaps = json.loads(sys.argv[1])
assert len(snaps) == 1, snaps
s = snaps[0]
assert s["name"] == "fixture_db" and s["taken_at"] == "2026-01-01T00:00:00Z", s
assert s["findings"] >= 1, s
PY
  [ "$(sqlite3 "$work/h.db" 'pragma user_version')" = "$current" ] || fail "$fixture was not migrated to $current"
  [ "$(sqlite3 "$work/h.db" 'pragma integrity_check')" = ok ] || fail "$fixture: integrity_check failed after migrating"

  run_sa report --history "$work/h.db" --format json
  expect_rc 0
  expect_out "t_id_key"

  run_sa audit --history "$work/h.db" --name fixture_db
  expect_rc 0
  run_sa history --history "$work/h.db" --db-name fixture_db
  expect_rc 0
  [ "$(grep -c fixture_db <<<"$out")" = 2 ] || fail "$fixture: expected the old and the new snapshot: $out"

  # The report reads per-snapshot totals and first sightings (back-filled by the migrations for
  # old snapshots): the old snapshot's counts add up, and the invalid index is two snapshots old.
  run_sa report --history "$work/h.db" --format json
  expect_rc 0
  python3 - "$out" <<'PY' || fail "$fixture: the migrated snapshot's totals or ages are wrong"
import json, sys
db = json.loads(sys.argv[1])["databases"][0]
for snap in db["snapshots"]:
    assert sum(s["count"] for s in snap["by_severity"]) == snap["findings"] >= 1, snap
f = next(f for f in db["findings"] if f["object"].endswith("t_id_key"))
assert f["first_seen"] == "2026-01-01" and f["snapshots_seen"] == 2, f
PY
done
echo "ok"
