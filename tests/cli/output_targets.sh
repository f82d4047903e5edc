#!/usr/bin/env bash
# -o FILE replaces a regular file atomically, but writes straight into a device or a pipe
# (renaming over /dev/null once replaced the device with a file) and keeps a symbolic link a
# link. Uses a FIFO in the scratch dir, never the machine's /dev/null.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db output)

mkfifo "$work/pipe"
cat "$work/pipe" >"$work/from-pipe" &
reader=$!
run_sa audit --check invalid_index --format json -o "$work/pipe"
expect_rc 0
wait "$reader"
[ -p "$work/pipe" ] || fail "the FIFO was replaced by a regular file"
grep -q '"t_id_key"' "$work/from-pipe" || grep -q 't_id_key' "$work/from-pipe" || fail "nothing arrived through the FIFO"
ls "$work" | grep -q '\.tmp' && fail "a temporary file was left: $(ls "$work")"

echo old >"$work/real.json"
ln -s real.json "$work/link.json"
run_sa audit --check invalid_index --format json -o "$work/link.json"
expect_rc 0
[ -L "$work/link.json" ] || fail "the symbolic link was replaced by a file"
grep -q 't_id_key' "$work/real.json" || fail "the link's target did not get the output"

run_sa audit --check invalid_index --format json -o "$work/plain.json"
expect_rc 0
grep -q 't_id_key' "$work/plain.json" || fail "a plain file did not get the output"
echo ok
