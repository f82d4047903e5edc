#!/usr/bin/env bash
# --replica: usage counters summed over the primary and a real streaming standby. A primary of
# its own (so the base backup is small) and a standby made by pg_basebackup -R on the next
# port. An index used only by queries on the standby is not reported with --replica and is
# reported without it (the control), with and without history; with the standby counted, its
# streaming no longer lowers the confidence to medium. A replica that cannot be reached (a port
# nothing listens on, a wrong password) makes the usage verdicts low confidence, proposes no
# DROP, and the audit exits as usual. The password of a replica's connection string is never
# printed nor stored. A fleet target's replicas = [...] are counted the same way.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"
. "$(dirname "$0")/lib/standby.bash"

role="sa_replica_$$_$RANDOM"
password="Rp-$RANDOM-s3cr3t-$RANDOM"
primary psql -qX -v ON_ERROR_STOP=1 -c "create database conf" \
  -c "create role $role login password '$password' in role pg_monitor"
# orders_status_idx: used on the standby only; orders_note_idx: used nowhere.
primary psql -qX -v ON_ERROR_STOP=1 -d conf <<'SQL'
create table orders(id int primary key, status int, note text);
insert into orders select g, g % 5, 'n' || g from generate_series(1, 1000) g;
create index orders_status_idx on orders(status);
create index orders_note_idx on orders(note);
analyze;
SQL
printf '[audit]\nstats_min_age_days = 0\n' >"$work/audit.toml"
# A real standby: base backup over the replication protocol, streaming from the primary.
start_standby
standby="host=$standby_dir port=$sport dbname=conf user=$pguser"

audit_json() { # HISTORY|- ARGS...: the audit of database conf as JSON in $out (no history with -)
  local history=()
  [ "$1" = - ] || history=(--history "$work/$1.db" --name conf)
  shift
  run_sa audit --db "host=$phost port=$pport dbname=conf user=$pguser" --config "$work/audit.toml" \
    --check unused_index --check metrics_tables --check metrics_indexes "${history[@]}" --format json "$@"
  expect_rc 0
}
finding_of() { # INDEX: "confidence|severity|replicas counted|basis|remediation", or "none"
  python3 - "$out" "$1" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
doc = doc["targets"][0] if "targets" in doc else doc
f = next((f for f in doc["findings"] if f["check_id"] == "unused_index" and f["object"] == "public." + sys.argv[2]), None)
if f is None:
    print("none")
else:
    e = f["evidence"]
    print("|".join([f["confidence"], f["severity"], str(len(e.get("replicas_counted", []))),
                    " / ".join(e["confidence_basis"]), f.get("remediation", "").replace("\n", " ")]))
PY
}

# The first snapshot of each history: the window starts here.
audit_json with --replica "$standby"
audit_json without
# Reads on the standby (through orders_status_idx only, more often than rare_scans: 10), and a
# sequential read on the primary, so the table itself was read in the window on both.
as_pg "$bindir/psql" -qX -h "$standby_dir" -p "$sport" -U "$pguser" -d conf -c "set enable_seqscan = off;
  set enable_bitmapscan = off; do \$\$ begin for i in 1..20 loop perform count(*) from orders where status = i % 5;
  end loop; end \$\$; select pg_stat_force_next_flush()" >/dev/null
[ "$(as_pg "$bindir/psql" -AtX -h "$standby_dir" -p "$sport" -U "$pguser" -d conf \
      -c "select idx_scan from pg_stat_user_indexes where indexrelname = 'orders_status_idx'")" -ge 20 ] \
  || fail "the standby's query did not scan orders_status_idx"
primary psql -qX -d conf -c "set enable_indexscan = off; set enable_bitmapscan = off;
  select count(*) from orders; select pg_stat_force_next_flush()" >/dev/null

# With the standby counted: the index it uses is not unused, and the standby no longer lowers
# the confidence of the verdict on the index nobody uses.
audit_json with --replica "$standby"
[ "$(finding_of orders_status_idx)" = none ] || fail "used on the replica, yet reported: $(finding_of orders_status_idx)"
[[ $(finding_of orders_note_idx) == high\|low\|1\|* ]] || fail "unused everywhere, standby counted: $(finding_of orders_note_idx)"
[[ $(finding_of orders_note_idx) != *"standby(s) stream"* ]] || fail "standby counted, still medium: $(finding_of orders_note_idx)"
# The control: without --replica the same index is reported, at medium (a standby streams).
audit_json without
[[ $(finding_of orders_status_idx) == medium\|*\|0\|*"1 standby(s) stream from this server"* ]] \
  || fail "control without --replica: $(finding_of orders_status_idx)"
# The previous snapshot of that history counted no replica: the sums are not compared with its
# counters (as after a statistics reset) but judged whole.
audit_json without --replica "$standby"
[ "$(finding_of orders_status_idx)" = none ] || fail "replica added since the previous audit: $(finding_of orders_status_idx)"
python3 - "$out" <<'PY' || fail "replica added since the previous audit: not judged as after a reset"
import json, sys
f = next(f for f in json.loads(sys.argv[1])["findings"] if f["object"] == "public.orders_note_idx")
sys.exit(0 if f["evidence"]["stats_reset_detected"] and f["evidence"]["replica_idx_scan"] == 0 else 1)
PY
# Without history, from the lifetime counters: the same verdicts.
audit_json - --replica "$standby"
[ "$(finding_of orders_status_idx)" = none ] || fail "no history, with --replica: $(finding_of orders_status_idx)"
audit_json -
[ "$(finding_of orders_status_idx)" != none ] || fail "no history, without --replica: not reported"

# A replica over TCP with a password (needed: scram over 127.0.0.1): counted, and the password
# shows nowhere, not even with -vv, nor in the history.
mkdir -p "$work/outputs"
tcp_replica="host=127.0.0.1 port=$sport dbname=conf user=$role password=$password"
for format in json text markdown; do
  rc=0
  "$bin" -vv audit --db "host=$phost port=$pport dbname=conf user=$pguser" --config "$work/audit.toml" \
    --replica "$tcp_replica" --history "$work/tcp.db" --name conf --format $format \
    >"$work/outputs/tcp.$format" 2>"$work/outputs/tcp.$format.stderr" </dev/null || rc=$?
  [ "$rc" = 0 ] || fail "audit --replica over TCP ($format): exit $rc: $(cat "$work/outputs/tcp.$format.stderr")"
done
out=$(cat "$work/outputs/tcp.json")
[[ $(finding_of orders_note_idx) == high\|*\|1\|* ]] || fail "TCP replica with a password not counted: $(finding_of orders_note_idx)"
[ "$(finding_of orders_status_idx)" = none ] || fail "TCP replica: $(finding_of orders_status_idx)"

# Unreachable: a port nothing listens on, and a wrong password. The audit runs and exits 0; the
# usage verdicts are low confidence, say which replica and why, and propose no DROP.
free_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for replica in "host=127.0.0.1 port=$free_port dbname=conf user=$role password=$password" \
               "postgresql://$role:wrong-$password@127.0.0.1:$sport/conf"; do
  for format in json text; do
    rc=0
    "$bin" -vv audit --db "host=$phost port=$pport dbname=conf user=$pguser" --config "$work/audit.toml" \
      --check unused_index --replica "$replica" --format $format \
      >"$work/outputs/missed.$RANDOM.$format" 2>"$work/outputs/missed.$format.stderr.$RANDOM" </dev/null || rc=$?
    [ "$rc" = 0 ] || fail "an unreachable replica failed the audit: exit $rc"
  done
  run_sa audit --db "host=$phost port=$pport dbname=conf user=$pguser" --config "$work/audit.toml" \
    --check unused_index --replica "$replica" --format json
  expect_rc 0
  finding=$(finding_of orders_note_idx)
  [[ $finding == low\|info\|0\|*"replica database \"conf\" on 127.0.0.1:"*" unreachable: "* ]] \
    || fail "unreachable replica: $finding"
  [[ $finding == *"not enough evidence yet"* && $finding != *"drop index"* ]] || fail "unreachable replica, a DROP: $finding"
done
[[ $(finding_of orders_note_idx) == *"password authentication failed"*"(--replica, PGUSER"* ]] \
  || fail "no reason given: $(finding_of orders_note_idx)"
# A server holding another database is not counted: its relations are not these.
run_sa audit --db "host=$phost port=$pport dbname=conf user=$pguser" --config "$work/audit.toml" \
  --check unused_index --replica "host=$phost port=$pport dbname=postgres user=$pguser" --format json
expect_rc 0
[[ $(finding_of orders_note_idx) == low\|info\|0\|*'it holds database "postgres", not the audited "conf"'* ]] \
  || fail "a replica of another database: $(finding_of orders_note_idx)"
# Not only on the findings: JSON lists each replica read, counted or not; the text says so under
# its summary line; the report of that snapshot has a caveat.
python3 - "$out" <<'PY' || fail "JSON replicas: $out"
import json, sys
r = json.loads(sys.argv[1])["replicas"]
assert len(r) == 1 and r[0]["counted"] is False and 'not the audited "conf"' in r[0]["reason"], r
PY
run_sa audit --db "host=$phost port=$pport dbname=conf user=$pguser" --config "$work/audit.toml" \
  --check unused_index --replica "host=127.0.0.1 port=$free_port dbname=conf" --replica "$tcp_replica" \
  --history "$work/missed.db" --name conf
expect_rc 0
expect_out "Usage counted on this server and 1 replica(s): database \"conf\" on 127.0.0.1:$sport"
expect_out "Replica database \"conf\" on 127.0.0.1:$free_port not counted: "
run_sa report --history "$work/missed.db" --format json
expect_rc 0
python3 - "$out" <<'PY' || fail "report caveat: $out"
import json, sys
doc = json.loads(sys.argv[1])
caveats = [c for d in doc["databases"] for c in d["caveats"] if c["kind"] == "replica_missed"]
assert len(caveats) == 1 and caveats[0]["text"].startswith("1 read replica(s)"), caveats
PY
expect_no_password_in_files "$work/outputs"/* "$work/tcp.db" "$work/tcp.db-wal" "$work/missed.db"

# A connection string that does not parse: refused before any connection, without quoting it.
run_sa audit --db "host=$phost port=$pport dbname=conf" --replica "password=$password host" --check unused_index
expect_rc 2
expect_err "--replica (number 1)"
[[ $err != *"$password"* ]] || fail "the refused --replica is quoted"

# A fleet target's replicas.
cat >"$work/fleet.toml" <<TOML
[audit]
stats_min_age_days = 0
[[targets]]
name = "conf"
db = "host=$phost port=$pport dbname=conf user=$pguser"
replicas = ["$standby"]
TOML
run_sa audit --config "$work/fleet.toml" --check unused_index --format json
expect_rc 0
[ "$(finding_of orders_status_idx)" = none ] || fail "fleet target with replicas: $(finding_of orders_status_idx)"
[[ $(finding_of orders_note_idx) == *\|1\|* ]] || fail "fleet target with replicas: $(finding_of orders_note_idx)"
echo "ok"
