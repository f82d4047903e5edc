#!/usr/bin/env bash
# Audits writing the same history file at once, including the very first ones that create and
# migrate it: all succeed, none is lost, and every snapshot is complete: it holds exactly the
# findings its audit printed. (Their numbers may differ: an audit that starts after another
# stored its snapshot runs the history-aware checks too.)
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hconcurrent)
for round in 1 2 3; do
  hist="$work/h$round.db"
  pids=()
  for j in 1 2 3; do
    "$bin" audit --history "$hist" --no-progress --format json >"$work/out$j" 2>"$work/err$j" </dev/null &
    pids+=($!)
  done
  for j in 1 2 3; do
    rc=0
    wait "${pids[$((j - 1))]}" || rc=$?
    err=$(cat "$work/err$j")
    expect_rc 0
  done
  [ "$(sqlite3 "$hist" 'pragma integrity_check')" = ok ] || fail "integrity_check failed (round $round)"
  [ "$(sqlite3 "$hist" 'select count(*) from snapshots')" = 3 ] || fail "round $round: a snapshot was lost"
  printed=$(for j in 1 2 3; do python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/out$j"; done | sort -n | tr '\n' ' ')
  stored=$(sqlite3 "$hist" 'select (select count(*) from findings f where f.snapshot_id = s.id) from snapshots s' | sort -n | tr '\n' ' ')
  [ "$printed" = "$stored" ] || fail "round $round: stored finding counts ($stored) differ from the audits' ($printed)"
done
echo "ok"
