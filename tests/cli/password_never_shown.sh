#!/usr/bin/env bash
# A password given in the URL, in a keyword/value --db, in PGPASSWORD or in ~/.pgpass never
# shows up: not on stdout or stderr (even with -vv, which logs every query), not in the history
# file, not in any report.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

db=$(plant_db hpassword)
role="sa_pw_$$_$RANDOM"
password="Pw-$RANDOM-s3cr3t-$RANDOM"
psql -q -X -d "$db" -c "create role $role login password '$password' in role pg_monitor"
tcp="host=127.0.0.1 port=$PGPORT user=$role dbname=$db"
unset PGPASSWORD

mkdir -p "$work/home" "$work/outputs"
printf '127.0.0.1:%s:%s:%s:%s\n' "$PGPORT" "$db" "$role" "$password" >"$work/home/pgpass"
chmod 600 "$work/home/pgpass"

i=0
# audit_with DESCRIPTION ENV... -- ARGS...: a full audit with every output, as the role.
audit_with() {
  local what=$1
  shift
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  i=$((i + 1))
  for format in text json markdown; do
    rc=0
    env "${env[@]}" "$bin" -vv audit "$@" --history "$work/h.db" --format $format \
      >"$work/outputs/$i.$format.stdout" 2>"$work/outputs/$i.$format.stderr" </dev/null || rc=$?
    [ "$rc" = 0 ] || fail "$what ($format): exit $rc: $(cat "$work/outputs/$i.$format.stderr")"
    grep -q "sql: " "$work/outputs/$i.$format.stderr" || fail "$what: -vv logged no queries"
  done
  env "${env[@]}" "$bin" -vv audit "$@" --format json --output "$work/outputs/$i.audit.json" \
    2>"$work/outputs/$i.output.stderr" </dev/null || fail "$what: audit --output failed"
}

audit_with "URL" PATH="$PATH" -- --db "postgresql://$role:$password@127.0.0.1:$PGPORT/$db"
audit_with "keyword/value" PATH="$PATH" -- --db "$tcp password=$password"
audit_with "PGPASSWORD" PGPASSWORD="$password" -- --db "$tcp"
audit_with ".pgpass" HOME="$work/home" PGPASSFILE="$work/home/pgpass" -- --db "$tcp"

for format in html markdown json; do
  "$bin" -vv report --history "$work/h.db" --format $format --output "$work/outputs/report.$format" \
    2>"$work/outputs/report.$format.stderr" || fail "report --format $format failed"
done
"$bin" -vv history --history "$work/h.db" --json >"$work/outputs/history.json" 2>&1 || fail "history failed"

# Command lines CLI11 refuses quote the argument they did not expect: a URL given without --db
# (a stray positional argument), after a mistyped flag, or a keyword string after one. Exit 2,
# the argument shown with its password as ***.
url="postgresql://$role:$password@127.0.0.1:$PGPORT/$db"
for args in "audit|$url" "audit|--dbb|$url" "report|--history|$work/h.db|$url" "audit|--d|$tcp password=$password"; do
  IFS='|' read -r -a argv <<<"$args"
  i=$((i + 1))
  rc=0
  "$bin" "${argv[@]}" >"$work/outputs/$i.usage.stdout" 2>"$work/outputs/$i.usage.stderr" </dev/null || rc=$?
  [ "$rc" = 2 ] || fail "${argv[*]//$password/***}: expected exit 2, got $rc"
  grep -q "schema-audit: error: .*\*\*\*" "$work/outputs/$i.usage.stderr" \
    || fail "the refused argument is not shown redacted: $(sed "s/$password/PASSWORD/g" "$work/outputs/$i.usage.stderr")"
done

[ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 12 ] || fail "expected 12 snapshots"
# The password must have been needed: without it the role cannot connect over TCP.
run_sa audit --db "$tcp"
expect_rc 3
expect_no_password_in_files "$work/outputs"/* "$work/h.db" "$work/h.db-wal"
echo "ok: $(ls "$work/outputs" | wc -l) outputs and the history checked"
