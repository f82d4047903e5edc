#!/usr/bin/env bash
# Usage verdicts on a server with a real streaming standby: a primary of its own (so the base
# backup is small) gets an unused index on a table that is read and one on a table nobody reads.
# Before the standby attaches, the read table's verdict is high confidence and the unread one's
# low; with the standby streaming, the primary's verdict drops to medium (queries on the standby
# are not counted on the primary), and an audit of the standby itself says it is a standby.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/standby.bash"

primary psql -qX -v ON_ERROR_STOP=1 -c "create database conf"
primary psql -qX -v ON_ERROR_STOP=1 -d conf <<'SQL'
create table orders(id int primary key, status int);
insert into orders select g, g % 5 from generate_series(1, 1000) g;
create index orders_status_idx on orders(status);
create table archive(id int primary key, note text);
insert into archive select g, 'n' || g from generate_series(1, 1000) g;
create index archive_note_idx on archive(note);
analyze;
SQL
printf '[audit]\nstats_min_age_days = 0\n' >"$work/audit.toml"
# Both tables were scanned once by their index builds; orders is read once more now, and the
# window below starts after the builds (history), so only that read counts.
audit_json() { # HOST PORT NAME: the audit of database conf as JSON in $out
  run_sa audit --db "host=$1 port=$2 dbname=conf user=postgres" --config "$work/audit.toml" \
    --check unused_index --check metrics_tables --check metrics_indexes --history "$work/$3.db" --name conf --format json
  expect_rc 0
}
confidence_of() { # INDEX: "confidence|severity|basis"
  python3 - "$out" "$1" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
f = next(f for f in doc["findings"] if f["check_id"] == "unused_index" and f["object"] == "public." + sys.argv[2])
print(f["confidence"] + "|" + f["severity"] + "|" + " / ".join(f["evidence"]["confidence_basis"]))
PY
}

audit_json "$phost" "$pport" primary # the first snapshot: the window starts here
primary psql -qX -d conf -c "set enable_indexscan = off; set enable_bitmapscan = off;
  select count(*) from orders; select pg_stat_force_next_flush()" >/dev/null
audit_json "$phost" "$pport" primary
[[ $(confidence_of orders_status_idx) == high\|low\|* ]] || fail "no standby, orders read: $(confidence_of orders_status_idx)"
[[ $(confidence_of archive_note_idx) == low\|info\|*"public.archive itself was not read"* ]] \
  || fail "archive not read: $(confidence_of archive_note_idx)"

# A real standby: base backup over the replication protocol, streaming from the primary.
start_standby

primary psql -qX -d conf -c "set enable_indexscan = off; set enable_bitmapscan = off;
  select count(*) from orders; select pg_stat_force_next_flush()" >/dev/null
audit_json "$phost" "$pport" primary
[[ $(confidence_of orders_status_idx) == medium\|low\|*"1 standby(s) stream from this server"* ]] \
  || fail "with a standby, the primary's verdict: $(confidence_of orders_status_idx)"

# On the standby itself: its own counters saw no reads, and it says where the rest happened.
audit_json "$standby_dir" "$sport" standby
[[ $(confidence_of orders_status_idx) == low\|info\|*"this server is a standby"* ]] \
  || fail "on the standby: $(confidence_of orders_status_idx)"
echo "ok"
