#!/usr/bin/env bash
# The output and the snapshot are written side by side once the checks are done; an output that
# fails half-way must not cost the snapshot. --output on a file system that has room when the
# audit starts (so the early check passes) and runs out while the JSON is written: the audit
# exits 2 with one line naming the file, leaves no half-written output behind, and the snapshot
# is stored whole. (The other way round, a history that cannot take the snapshot while the output
# is delivered: tests/cli/history_locked_recovery.sh.)
. "$(dirname "$0")/lib/common.bash"

mnt="$work/mnt"
mkdir "$mnt"
if ! mount -t tmpfs -o size=8k tmpfs "$mnt" 2>/dev/null; then
  echo "skipped: cannot mount a tmpfs here (needs root)"
  exit 0
fi
trap 'umount "$mnt" 2>/dev/null || true; cleanup' EXIT

db=$(make_db outfails)
export PGDATABASE=$db
# 40 tables without a primary key: about 190 KB of JSON, far more than the 8 KB file system.
psql -q -X -c "do \$\$ begin for i in 1..40 loop execute format('create table nopk_%s(id int, v varchar(20))', i); end loop; end \$\$"

run_sa audit --format json --output "$mnt/out.json" --history "$work/h.db"
expect_rc 2
expect_err "schema-audit: error: cannot write $mnt/out.json"
[ "$(grep -c "error:" <<<"$err")" = 1 ] || fail "expected one error line: $err"
[ ! -e "$mnt/out.json" ] || fail "a half-written output was left: $(ls -la "$mnt")"
[ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 1 ] || fail "the snapshot was not stored"
[ "$(sqlite3 "$work/h.db" 'select count(*) from snapshot_findings')" -ge 40 ] || fail "the snapshot is incomplete"
[ "$(sqlite3 "$work/h.db" 'pragma integrity_check')" = ok ] || fail "integrity_check failed"
echo ok
