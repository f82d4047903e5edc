#!/usr/bin/env bash
# --output is checked before the audit starts (the target here is a server that does not exist,
# so a late check would be a connection error, 3, instead of the usage error, 2): a folder that
# does not exist or cannot be written, /dev/full, a directory, a FIFO with no reader (which
# used to block forever; a 60 s guard catches a hang). A FIFO with a reader still gets the
# output (tests/cli/output_targets.sh). A full file system, where this machine lets us mount a
# tiny tmpfs, is refused the same way.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

unreachable="host=127.0.0.1 port=1 dbname=x connect_timeout=2"
# expect_output_refused OUTPUT MESSAGE
expect_output_refused() {
  rc=0
  timeout 60 "$bin" audit --db "$unreachable" --output "$1" >"$work/out" 2>"$work/err" </dev/null || rc=$?
  err=$(cat "$work/err")
  expect_rc 2
  expect_one_line_err
  expect_err "schema-audit: error: cannot write $1$2"
}

expect_output_refused "$work/no/such/dir/out.txt" "; check that the folder exists and is writable"
expect_output_refused /dev/full ": it is the full device (/dev/full), where every write fails"
expect_output_refused "$work" ": it is a directory; give a file path"
mkfifo "$work/pipe"
expect_output_refused "$work/pipe" ": it is a FIFO with no reader; start the reader first"
mkdir "$work/ro"
chmod 555 "$work/ro"
chmod 755 "$work"
rc=0
runuser -u nobody -- "$bin" audit --db "$unreachable" --output "$work/ro/out.txt" >/dev/null 2>"$work/err" </dev/null || rc=$?
err=$(cat "$work/err")
expect_rc 2
expect_err "cannot write $work/ro/out.txt; check that the folder exists and is writable"

# The same checks for report: nothing is rendered into a place that cannot take it.
export PGDATABASE=$(plant_db outputfirst)
run_sa audit --check invalid_index --history "$work/h.db"
expect_rc 0
run_sa report --history "$work/h.db" --output /dev/full
expect_rc 2
expect_err "cannot write /dev/full: it is the full device"

mnt="$work/mnt"
mkdir "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
  trap 'umount "$mnt" 2>/dev/null || true; cleanup' EXIT
  dd if=/dev/zero of="$mnt/filler" bs=4k >/dev/null 2>&1 || true
  expect_output_refused "$mnt/out.txt" ": no space left on its device; free some space or choose another --output"
  umount "$mnt"
fi
echo ok
