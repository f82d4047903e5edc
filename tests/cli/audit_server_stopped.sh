#!/usr/bin/env bash
# The server stops answering in the middle of a check (its backend is SIGSTOPped: it neither
# answers nor honours statement_timeout or a cancel request): the client's own deadline ends
# the audit within --statement-timeout + 10 s with exit 3 and one line saying the server
# stopped answering, and nothing is stored. Over TCP, as in production (keepalives and
# tcp_user_timeout apply there, and do not help against a stopped process: its kernel still
# answers). The backend is always resumed (SIGCONT), even when the test fails.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

db=$(plant_db hstopped)
export PGDATABASE=$db
sleep_check "$work/q"
password="stopped_$$_$RANDOM"
role="sa_stopped_$$"
psql -q -X -c "create role $role login superuser password '$password'"
stopped=""
resume() { [ -z "$stopped" ] || kill -CONT $stopped 2>/dev/null || true; }
trap 'resume; kill $pid 2>/dev/null || true; psql -q -X -c "drop role if exists $role" >/dev/null 2>&1 || true; cleanup' EXIT

# The backend is stopped while it sleeps in the check (wait_event PgSleep), and read again once
# stopped: a backend that left the sleep before it was seen or between the two reads (its
# statement_timeout came first on a loaded machine) is resumed, its audit ends on that timeout,
# and the run is tried again.
start_audit() {
  rm -f "$work/h.db"
  start=$(date +%s)
  PGPASSWORD=$password "$bin" audit --db "host=127.0.0.1 port=$PGPORT dbname=$db user=$role" \
    --queries "$work/q" --check zz_sleep --statement-timeout 2000 --history "$work/h.db" \
    >"$work/out" 2>"$work/err" </dev/null &
  pid=$!
}
sleeping_backend() {
  psql -AtX -c "select pid from pg_stat_activity where datname = '$db' and application_name = 'schema-audit'
                and state = 'active' and wait_event = 'PgSleep' and query like '%zz_sleep%' ${1:+and pid = $1}"
}
for attempt in 1 2 3; do
  start_audit
  stopped=""
  for _ in $(seq 1 150); do
    stopped=$(sleeping_backend)
    [ -n "$stopped" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  if [ -n "$stopped" ]; then
    kill -STOP $stopped
    [ "$(sleeping_backend $stopped)" = "$stopped" ] && break
    resume
    stopped=""
  fi
  echo "attempt $attempt: no backend stopped while it slept in the check; trying again"
  wait "$pid" || true
done
[ -n "$stopped" ] || fail "three attempts, and no audit backend could be stopped while it slept in the check"
# A hang guard only: the bound asserted is the one below.
for _ in $(seq 1 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
took=$(( $(date +%s) - start ))
kill -0 $pid 2>/dev/null && fail "the audit still runs after ${took}s with its backend stopped"
rc=0
wait "$pid" || rc=$?
resume
err=$(cat "$work/err")
expect_rc 3
expect_one_line_err
expect_err "stopped answering: no reply to zz_sleep within 12 s"
[ "$took" -le 16 ] || fail "the audit took ${took}s, more than --statement-timeout + 10 s (and slack)"
[ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 0 ] || fail "a snapshot was stored"
echo "ok (ended after ${took}s)"
