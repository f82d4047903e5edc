#!/usr/bin/env bash
# A wrong password, however it is given (URL, keyword/value, PGPASSWORD, ~/.pgpass): exit 3 and
# one line that says authentication failed and how to fix it, without the password.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

role="sa_wrongpw_$$_$RANDOM"
password="Wrong-$RANDOM-pw-$RANDOM"
psql -q -X -c "create role $role login password 'the-right-one'"
tcp="host=127.0.0.1 port=$PGPORT user=$role dbname=postgres"
unset PGPASSWORD
mkdir -p "$work/home"
printf '127.0.0.1:%s:*:%s:%s\n' "$PGPORT" "$role" "$password" >"$work/home/pgpass"
chmod 600 "$work/home/pgpass"

check() {
  expect_rc 3
  expect_one_line_err
  expect_err "schema-audit: error: cannot connect: "
  expect_err "password authentication failed for user \"$role\""
  expect_err "check the user and password (--db, PGUSER, PGPASSWORD or ~/.pgpass)"
  grep -qF -- "$password" <<<"$out$err" && fail "the password was printed: $err"
  return 0
}
run_sa audit --db "postgresql://$role:$password@127.0.0.1:$PGPORT/postgres" --history "$work/h.db"
check
run_sa audit --db "$tcp password=$password"
check
PGPASSWORD=$password run_sa audit --db "$tcp"
check
HOME=$work/home PGPASSFILE=$work/home/pgpass run_sa audit --db "$tcp"
check
expect_no_password_in_files "$work/h.db"
echo "ok"
