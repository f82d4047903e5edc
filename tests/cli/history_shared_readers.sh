#!/usr/bin/env bash
# A team-shared SQLite history: another OS user ("nobody") who may read the file but not write
# its folder runs report, history and diff. They work, create no file beside the history (no
# -wal or -shm of theirs), both when no writer has the file open and while one does, and the
# owner's next audit stores its snapshot as usual.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hshared)
shared="$work/shared"
mkdir "$shared"
run_sa audit --history "$shared/h.db" --as-of 2026-01-01
expect_rc 0
run_sa audit --history "$shared/h.db" --as-of 2026-04-01
expect_rc 0
chmod 755 "$work" "$shared"
chmod 644 "$shared/h.db"
runuser -u nobody -- test -w "$shared" && fail "nobody can write $shared: the test proves nothing"
runuser -u nobody -- test -r "$shared/h.db" || fail "nobody cannot read $shared/h.db"

listing() { ls -A "$shared"; }
# as_reader WHAT ARGS...: runs schema-audit ARGS as nobody; it must succeed and leave the
# folder's listing as it was.
as_reader() {
  local what=$1
  shift
  local before
  before=$(listing)
  rc=0
  runuser -u nobody -- "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
  expect_rc 0
  [ "$(listing)" = "$before" ] || fail "$what as a reader changed the folder: $(listing)"
  [ -z "$(find "$shared" -user nobody)" ] || fail "$what left files owned by the reader: $(find "$shared" -user nobody)"
}

readers() {
  as_reader "report ($1)" report --history "$shared/h.db" --format json
  expect_out "t_id_key"
  as_reader "history ($1)" history --history "$shared/h.db"
  [ "$(grep -c 2026- <<<"$out")" -ge 2 ] || fail "history ($1) lists no snapshots: $out"
  as_reader "diff ($1)" diff --history "$shared/h.db"
  expect_out "unchanged"
}

# No writer has the file open: nothing beside it.
[ "$(listing)" = h.db ] || fail "expected h.db alone: $(listing)"
readers "no writer"

# A writer has the file open (its -wal and -shm exist, owned by it, not writable by others).
hold_history "$shared/h.db" "select count(*) from snapshots"
[ -e "$shared/h.db-wal" ] || fail "the writer's -wal is missing: $(listing)"
readers "writer open"
release_history

# The owner writes on: no reader's file is in the way.
run_sa audit --history "$shared/h.db"
expect_rc 0
[ "$(sqlite3 "$shared/h.db" 'select count(*) from snapshots')" = 3 ] || fail "the owner's audit was not stored"
[ "$(sqlite3 "$shared/h.db" 'pragma integrity_check')" = ok ] || fail "integrity_check failed"
echo ok
