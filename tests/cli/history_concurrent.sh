#!/usr/bin/env bash
# Audits writing the same history file at once, including the very first ones that create and
# migrate it: all succeed, none is lost, and every snapshot is complete.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hconcurrent)
for round in 1 2 3; do
  hist="$work/h$round.db"
  pids=()
  for j in 1 2 3; do
    "$bin" audit --history "$hist" --no-progress >"$work/out$j" 2>"$work/err$j" </dev/null &
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
  [ "$(sqlite3 "$hist" 'select count(distinct (select count(*) from findings f where f.snapshot_id = s.id)) from snapshots s')" = 1 ] \
    || fail "round $round: snapshots differ in their number of findings"
done
echo "ok"
