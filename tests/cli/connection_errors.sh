#!/usr/bin/env bash
# A bad --db, a refused connection and a missing database: one line on stderr, the documented
# exit code (2 usage, 3 connection), nothing stored in the history.
. "$(dirname "$0")/lib/common.bash"

run_sa audit --db "host=/nonexistent port=1 dbname=x connect_timeout=2" --history "$work/h.db"
expect_rc 3
expect_one_line_err
expect_err "schema-audit: error: cannot connect:"
expect_err "check --db (or PGHOST/PGPORT) and that the server is running"

run_sa audit --db "host=127.0.0.1 port=1 dbname=x user=u password=s3cret-value connect_timeout=2"
expect_rc 3
expect_one_line_err
grep -q "s3cret-value" <<<"$err$out" && fail "the password was printed: $err"

run_sa audit --db "dbname=no_such_database_here"
expect_rc 3
expect_one_line_err
expect_err "does not exist"

run_sa audit --db "this is = not 'a conninfo password=s3cret-value"
expect_rc 2
expect_one_line_err
expect_err "cannot parse --db"
grep -q "s3cret-value" <<<"$err" && fail "the password was printed: $err"

run_sa audit --db "postgresql://u:s3cret-value@127.0.0.1:1/x?connect_timeout=2"
expect_rc 3
grep -q "s3cret-value" <<<"$err$out" && fail "the password was printed: $err"

# Nothing was stored by the failed audits.
if [ -f "$work/h.db" ]; then
  n=$(sqlite3 "$work/h.db" "select count(*) from snapshots")
  [ "$n" = 0 ] || fail "a failed audit stored $n snapshot(s)"
fi
echo "ok"
