#!/usr/bin/env bash
# The disk fills while the snapshot is written: exit 4, a one-line message that says so, the
# history file untouched, and the next audit (with space again) works. The history sits on a
# tiny tmpfs filled to the brim; where mounting is not allowed, a file size limit (ulimit -f)
# makes the writes fail the same way.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hdiskfull)
run_sa audit --history "$work/seed.db"
expect_rc 0

mnt="$work/mnt"
mkdir -p "$mnt"
limit=()
if mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null; then
  trap 'umount "$mnt" 2>/dev/null || true; cleanup' EXIT
  cp "$work/seed.db" "$mnt/h.db"
  dd if=/dev/zero of="$mnt/filler" bs=4k >/dev/null 2>&1 || true # until the disk is full
  avail=$(df --output=avail -k "$mnt" | tail -n 1 | tr -d ' ')
  [ "$avail" = 0 ] || fail "the tmpfs still has ${avail}k free"
  hist="$mnt/h.db"
else
  cp "$work/seed.db" "$work/h.db"
  hist="$work/h.db"
  limit=(bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' limit)
fi
before=$(sha "$hist")

# full_disk_audit: an audit that cannot store its snapshot fails cleanly.
full_disk_audit() {
  rc=0
  TMPDIR="$work" "${limit[@]}" "$bin" audit --history "$hist" >/dev/null 2>"$work/err" </dev/null || rc=$?
  err=$(cat "$work/err")
  expect_rc 4
  expect_one_line_err
  expect_err "schema-audit: error: history file $hist"
  expect_err "free disk space (nothing was stored; the file is unchanged)"
  expect_untouched "$hist" "$before"
}
full_disk_audit
if [ ${#limit[@]} = 0 ]; then
  # Room to open the file (its 32 kB shared-memory index) but not to write a snapshot: the
  # audit runs and the write fails at the end.
  rm -f "$mnt/filler"
  free_kb=$(df --output=avail -k "$mnt" | tail -n 1 | tr -d ' ')
  dd if=/dev/zero of="$mnt/filler" bs=1k count=$((free_kb - 36)) >/dev/null 2>&1
  full_disk_audit
  # The finished audit is not lost: with no room beside the history, it is kept in TMPDIR.
  expect_err "; the snapshot is kept in $work/schema-audit-recovery-"
fi

# With space again, the same file takes the next snapshot and holds exactly two.
rm -f "$mnt/filler"
run_sa audit --history "$hist"
expect_rc 0
[ "$(sqlite3 "$hist" 'pragma integrity_check')" = ok ] || fail "integrity_check failed after the full disk"
[ "$(sqlite3 "$hist" 'select count(*) from snapshots')" = 2 ] || fail "expected 2 snapshots after the retry"
echo "ok"
