#!/usr/bin/env bash
# A file that is not a history (plain text, or another program's SQLite database) given as
# --history: exit 4, a one-line message, and the file is left byte for byte as it was.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hnotsqlite)

printf 'name,email\nalice,alice@example.com\n' >"$work/users.csv"
before=$(sha "$work/users.csv")
for cmd in "audit --history $work/users.csv" "report --history $work/users.csv" "history --history $work/users.csv"; do
  run_sa $cmd
  expect_rc 4
  expect_one_line_err
  expect_err "history file $work/users.csv"
  expect_err "is not a schema-audit history or is damaged"
  expect_untouched "$work/users.csv" "$before"
done

# Another application's SQLite database: never migrated into, never written.
sqlite3 "$work/app.db" "create table accounts(id integer primary key, name text); insert into accounts(name) values ('alice');"
before=$(sha "$work/app.db")
run_sa audit --history "$work/app.db"
expect_rc 4
expect_one_line_err
expect_err "history file $work/app.db is an SQLite database but not a schema-audit history"
expect_untouched "$work/app.db" "$before"
[ ! -e "$work/app.db-wal" ] || fail "a -wal file was left next to the foreign database"
echo "ok"
