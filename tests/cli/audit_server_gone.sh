#!/usr/bin/env bash
# The server goes away in the middle of an audit (its backends are terminated while a check
# runs): the audit stops with exit 3 and a one-line message naming the check, and stores no
# snapshot.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

db=$(plant_db hgone)
export PGDATABASE=$db
sleep_check "$work/q"

for jobs in 1 3; do
  rm -f "$work/h.db"
  "$bin" audit --queries "$work/q" --history "$work/h.db" --jobs $jobs >"$work/out" 2>"$work/err" </dev/null &
  pid=$!
  for _ in $(seq 1 150); do
    [ "$(psql -AtX -c "select count(*) from pg_stat_activity where datname = '$db'
                        and application_name = 'schema-audit' and query like '%zz_sleep%'")" = 1 ] && break
    sleep 0.1
  done
  n=$(psql -AtX -c "select count(pg_terminate_backend(pid)) from pg_stat_activity
                    where datname = '$db' and application_name = 'schema-audit'")
  [ "$n" -ge 1 ] || fail "found no audit backend to terminate"
  rc=0
  wait "$pid" || rc=$?
  err=$(cat "$work/err")
  expect_rc 3
  expect_one_line_err
  expect_err "schema-audit: error: lost the connection to database \"$db\""
  [ -f "$work/h.db" ] || fail "the history file was not created up front"
  [ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 0 ] || fail "a snapshot was stored"
done
echo "ok"
