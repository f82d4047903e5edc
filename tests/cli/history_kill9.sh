#!/usr/bin/env bash
# kill -9 at random moments of "audit --history", 20 times: after every kill the file passes
# PRAGMA integrity_check and every snapshot in it is complete (the same number of findings,
# skipped checks and metrics as a reference audit of the same database), and the next audit
# still works.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hkill)
hist="$work/h.db"
# Short audits: the planted finding's check and two metrics checks (the bulk of a snapshot).
checks=(--check invalid_index --check metrics_tables --check metrics_indexes)
counts() {
  sqlite3 "$hist" "select s.id || ':' || (select count(*) from findings f where f.snapshot_id = s.id)
                     || ':' || (select count(*) from skipped_checks k where k.snapshot_id = s.id)
                     || ':' || (select count(*) from metrics m where m.snapshot_id = s.id)
                   from snapshots s order by s.id"
}

# Reference: one complete snapshot, and how long an audit takes.
start=$(date +%s%N)
run_sa audit --history "$hist" --no-progress "${checks[@]}"
expect_rc 0
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ref=$(counts)
ref=${ref#*:}
[ "${ref%%:*}" -ge 1 ] || fail "the reference audit found nothing: $ref"
[ "${ref##*:}" -ge 1 ] || fail "the reference audit stored no metrics: $ref"

kills=0
attempts=0
while [ "$kills" -lt 20 ]; do
  attempts=$((attempts + 1))
  [ "$attempts" -le 200 ] || fail "only $kills of $attempts audits were still running when killed"
  # Delays spread over the whole run; every other one in its second half, where the snapshot
  # is written.
  delay=$(( RANDOM % (ms * 95 / 100 + 1) ))
  [ $((attempts % 2)) = 0 ] && delay=$(( ms / 2 + RANDOM % (ms * 45 / 100 + 1) ))
  "$bin" audit --history "$hist" --no-progress "${checks[@]}" >/dev/null 2>&1 </dev/null &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
  [ "$(sqlite3 "$hist" 'pragma integrity_check')" = ok ] || fail "integrity_check failed after kill $kills"
  while IFS= read -r line; do
    [ "${line#*:}" = "$ref" ] || fail "after kill $kills snapshot ${line%%:*} is incomplete: ${line#*:} (want $ref)"
  done < <(counts)
done

run_sa audit --history "$hist" --no-progress "${checks[@]}"
expect_rc 0
n=$(counts | wc -l)
echo "ok: $kills kills, $n complete snapshots, reference $ref, audit ${ms} ms"
