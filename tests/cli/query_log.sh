#!/usr/bin/env bash
# --query-log: the statements of REAL server logs feed missing_index_statements and
# unused_column_statements, in a database without pg_stat_statements. A cluster of its own logs
# every statement (log_min_duration_statement = 0) to stderr, csvlog and jsonlog at once; a
# workload of psql statements (one of several lines) and pgbench's prepared statements with
# parameters runs; then each of the three files (and the stderr one gzipped, with a glob) is
# audited. orders, seq-scanned by customer_id, gets an index on it; so does shipments, whose
# few seq scans only auto_explain's logged plans show; customers, only looked up by its primary
# key, gets none. orders.legacy_code and customers.email, which no statement reads,
# are unused columns; orders.status and customers.name, which logged statements read, are not.
# A garbage line is counted, not fatal; a planted secret (a literal and a parameter) appears in
# no output nor history. A missing log file is a one-line error with exit 2 (6 in a fleet config).
. "$(dirname "$0")/lib/common.bash"

bindir=$SCHEMA_AUDIT_PG_BIN
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
own_env=$work/own.env
stop_own() {
  "$src/scripts/local-pg.sh" stop "$own_env" >/dev/null 2>&1 || true
  cleanup
}
trap stop_own EXIT
"$src/scripts/local-pg.sh" start "$own_env" 2>/dev/null
own() { (set -a; . "$own_env"; set +a; "$@"); }
pgdir=$(sed -n 's/^SCHEMA_AUDIT_PG_DIR=//p' "$own_env")
port=$(sed -n 's/^PGPORT=//p' "$own_env")
user=$(sed -n 's/^PGUSER=//p' "$own_env")
major=$(own psql -AtX -c "show server_version_num")
major=$((major / 10000))

destinations="stderr,csvlog"
[ "$major" -ge 15 ] && destinations="$destinations,jsonlog"
own psql -qX -v ON_ERROR_STOP=1 \
  -c "load 'auto_explain'" \
  -c "alter system set logging_collector = on" \
  -c "alter system set log_destination = '$destinations'" \
  -c "alter system set log_directory = '$pgdir/log'" \
  -c "alter system set log_filename = 'postgresql.log'" \
  -c "alter system set log_rotation_age = 0" \
  -c "alter system set log_line_prefix = '%m [%p] %q%u@%d '" \
  -c "alter system set lc_messages = 'C'" \
  -c "alter system set log_min_messages = 'warning'" \
  -c "alter system set log_min_duration_statement = 0" \
  -c "alter system set session_preload_libraries = 'auto_explain'" \
  -c "alter system set auto_explain.log_min_duration = 0" \
  -c "alter system set auto_explain.log_analyze = on"
as_pg "$bindir/pg_ctl" -D "$pgdir/data" -o "-p $port" -l "$pgdir/server.log" -w -t 60 restart >/dev/null \
  || { cat "$pgdir/server.log" >&2; fail "the cluster did not restart with logging_collector"; }

secret="PLANTED-SECRET-$RANDOM$RANDOM"
own psql -qX -v ON_ERROR_STOP=1 -c "create database shop"
# The setup is not logged: its INSERTs without a column list write (reference) every column.
own psql -qX -v ON_ERROR_STOP=1 -d shop <<'SQL'
set log_min_duration_statement = -1;
set auto_explain.log_min_duration = -1;
create table orders (id bigint primary key, customer_id int not null, status text not null,
                     note text, legacy_code text);
insert into orders select g, g % 1000, case when g % 7 = 0 then 'open' else 'done' end, 'n' || g, 'L' || g
from generate_series(1, 20000) g;
create table customers (id int primary key, name text not null, email text);
create table archive_2019 (id int primary key, payload text);
insert into archive_2019 select g, 'p' || g from generate_series(1, 100) g;
create table activity (id serial primary key, at timestamptz default now());
insert into customers select g, 'c' || g, 'c' || g || '@example.com' from generate_series(1, 20000) g;
create table shipments (id int primary key, tracking_code text, carrier text);
insert into shipments select g, 'T' || g, 'dhl' from generate_series(1, 20000) g;
analyze;
SQL
# shipments is scanned sequentially by three statements only, too few for its counters
# (min_seq_scan 50): only the logged plans show the scans, and they are enough for a proposal.
own psql -qX -v ON_ERROR_STOP=1 -d shop >/dev/null <<'SQL'
select id from shipments where tracking_code = 'T17';
select id from shipments where tracking_code = 'T18';
select id from shipments where tracking_code = 'T19';
SQL
# Sequential scans of orders filtered on customer_id: 60 of them, constants differing.
for i in $(seq 1 60); do echo "select id, status from orders where customer_id = $i;"; done \
  | own psql -qX -v ON_ERROR_STOP=1 -d shop >/dev/null
# A statement of several lines (a tab begins the continuation lines of a stderr log), and the
# planted secret as a literal.
own psql -qX -v ON_ERROR_STOP=1 -d shop >/dev/null <<SQL
select o.id,
       o.status
  from orders o
 where o.customer_id = 42
   and o.status = 'open';
select count(*) from orders where note = '$secret';
SQL
# auto_explain's JSON format (the text format is the default of the sessions above).
own psql -qX -v ON_ERROR_STOP=1 -d shop >/dev/null <<'SQL'
set auto_explain.log_format = json;
select id from orders where customer_id >= 990;
select id from orders where customer_id >= 995;
SQL
# Prepared statements with parameters (extended protocol: parse, bind, execute <name>, and a
# DETAIL with the parameters): the customers control looked up by its primary key, and the
# secret as a parameter.
cat >"$work/lookup.sql" <<'SQL'
\set cid random(1, 20000)
select name from customers where id = :cid;
select count(*) from orders where note = :secret;
SQL
own pgbench -n -M prepared -t 30 -D "secret=$secret" -f "$work/lookup.sql" shop >/dev/null 2>&1 \
  || fail "pgbench failed"
# The statistics of the sessions above are flushed at their exit; the log files are complete once
# the server stops writing to them.
own psql -qX -d shop -c "select pg_stat_force_next_flush()" >/dev/null 2>&1 || true
sleep 1

logs=$work/logs
mkdir -p "$logs"
as_pg cat "$pgdir/log/postgresql.log" >"$logs/postgresql.log"
as_pg cat "$pgdir/log/postgresql.csv" >"$logs/postgresql.csv"
[ "$major" -ge 15 ] && as_pg cat "$pgdir/log/postgresql.json" >"$logs/postgresql.json"
grep -q "execute " "$logs/postgresql.log" || fail "the stderr log has no execute line: $(head -c 2000 "$logs/postgresql.log")"
grep -q "$secret" "$logs/postgresql.log" || fail "the stderr log lacks the planted secret: the test would prove nothing"
grep -qP '^\t' "$logs/postgresql.log" || fail "the stderr log has no continuation line"
grep -q "plan:" "$logs/postgresql.log" || fail "the stderr log has no auto_explain plan"
grep -qF '"Node Type": "Seq Scan"' "$logs/postgresql.log" || fail "the stderr log has no auto_explain plan in JSON"
for f in "$logs"/postgresql.*; do echo "this line is garbage, not a log line" >>"$f"; done
mkdir -p "$logs/gz"
gzip -c "$logs/postgresql.log" >"$logs/gz/postgresql-1.log.gz"

cat >"$work/audit.toml" <<'TOML'
[audit]
stats_min_age_days = 0
[checks.unused_column_statements]
min_statements = 1
TOML
db="host=$(sed -n 's/^PGHOST=//p' "$own_env") port=$port user=$user dbname=shop"
audit_log() { # LOG...: audits shop with these query logs, JSON in $out
  local args=()
  for l in "$@"; do args+=(--query-log "$l"); done
  run_sa audit --db "$db" --config "$work/audit.toml" --check missing_index_statements \
    --check unused_column_statements --format json --history "$work/history.db" "${args[@]}"
  expect_rc 0
}
summary() { # what the audit found, one line per finding: check object [period stated]
  python3 - "$out" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
for f in doc["findings"]:
    ql = f["evidence"].get("query_log", {})
    cols = ",".join(f["evidence"].get("columns", []))
    print(f["check_id"], f["object"], cols, "period" if ql.get("period_from") and ql.get("executions", 0) > 0 else "no-period")
for s in doc.get("skipped", []):
    print("skipped", s["check_id"], s.get("reason", ""))
PY
}
plan_scans() { # the seq scans of auto_explain's plans on orders(customer_id)'s proposal: filter:plans
  python3 - "$out" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
for f in doc["findings"]:
    if f["check_id"] == "missing_index_statements" and f["evidence"].get("columns") == ["customer_id"]:
        for s in f["evidence"]["query_log"].get("seq_scans", []):
            ok = s["rows_removed"] > 0 and s["total_ms"] > 0 and s["loops"] >= 1
            print(f'{s["filter"]}:{s["plans"]}:{"ok" if ok else "bad"}')
PY
}
rests_on() { # what each finding of the last audit rests on: check object source-kinds
  python3 - "$out" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
for f in doc["findings"]:
    kinds = [s.split(":")[0].split(" (")[0] for s in f["evidence"].get("rests_on", [])]
    print(f["check_id"], f["object"], ",".join(kinds))
PY
}
check_findings() { # FORMAT: the findings of the last audit
  local found scans basis
  found=$(summary)
  scans=$(plan_scans)
  basis=$(rests_on)
  # Each verdict says what it rests on: the proposal on the counters that chose the table, the
  # logged statements and auto_explain's plans; an unused column on the logged statements.
  grep -qx "missing_index_statements public.orders sequential scans,query logs,auto_explain" <<<"$basis" \
    || fail "$1: the proposal does not say it rests on the counters, the logs and the plans: $basis"
  grep -qx "unused_column_statements public.orders.legacy_code query logs" <<<"$basis" \
    || fail "$1: the unused column does not say it rests on the query logs: $basis"
  grep -qx "(customer_id = ?):6[0-9]:ok" <<<"$scans" || fail "$1: no text-format plans of the seq scans: $scans"
  grep -qx "(customer_id >= ?):2:ok" <<<"$scans" || fail "$1: no JSON-format plans of the seq scans: $scans"
  grep -qx "missing_index_statements public.orders customer_id period" <<<"$found" \
    || fail "$1: no index proposed on orders(customer_id): $found"
  ! grep -q "missing_index_statements public.customers" <<<"$found" || fail "$1: an index proposed on customers: $found"
  grep -qx "missing_index_statements public.shipments tracking_code period" <<<"$found" \
    || fail "$1: no index proposed on shipments(tracking_code), which only the logged plans show scanned: $found"
  grep -q "unused_column_statements public.orders.legacy_code  period" <<<"$found" \
    || fail "$1: orders.legacy_code not named unused: $found"
  grep -q "unused_column_statements public.customers.email  period" <<<"$found" \
    || fail "$1: customers.email not named unused: $found"
  ! grep -qF -e "unused_column_statements public.orders.status" -e "unused_column_statements public.customers.name" \
    -e "unused_column_statements public.orders.customer_id" <<<"$found" \
    || fail "$1: a column a logged statement reads is named unused: $found"
  ! grep -q "^skipped" <<<"$found" || fail "$1: a check was skipped: $found"
  grep -qF "1 not parsed" <<<"$err" || fail "$1: the garbage line is not reported: $err"
  ! grep -qF "$secret" <<<"$out$err" || fail "$1: the planted secret is in the output"
}

audit_log "$logs/postgresql.log"
check_findings stderr
audit_log "$logs/postgresql.csv"
check_findings csvlog
if [ "$major" -ge 15 ]; then
  audit_log "$logs/postgresql.json"
  check_findings jsonlog
fi
audit_log "$logs/gz/*.gz"
check_findings "stderr.gz (a glob)"
! sqlite3 "$work/history.db" .dump | grep -qF "$secret" || fail "the planted secret is in the history"
# The report shows what each usage verdict rests on.
run_sa report --history "$work/history.db" --format markdown
expect_rc 0
grep -qE "Rests on: .*query logs: [0-9]+ statement\(s\) run [0-9]+ time\(s\) from " <<<"$out" \
  || fail "the report does not say which verdicts rest on the query logs: $(grep -m3 'Rests on' <<<"$out")"
# The history keeps what the logs contributed to each snapshot: statements, executions, period.
stored=$(sqlite3 "$work/history.db" "select count(distinct snapshot_id) || ' ' || min(value) from metrics
  where metric = 'query_log_executions'" 2>&1) || true
[[ $stored =~ ^[34]\ [1-9] ]] || fail "the history lacks the query logs' executions per snapshot: $stored"

# --opt-in hypopg confirms a proposal from the logs as it does one from pg_stat_statements: the
# costliest logged statement (normalized, its $n planned generically) before and after a
# hypothetical index. auto_explain is unloaded first: logging the plan of an EXPLAIN that uses a
# hypothetical index fails ("cache lookup failed for index"), and the proposal then stays
# unconfirmed with that error in its evidence.
own psql -qX -v ON_ERROR_STOP=1 -c "alter system reset session_preload_libraries" -c "select pg_reload_conf()" >/dev/null
own psql -qX -v ON_ERROR_STOP=1 -d shop -c "create extension hypopg"
run_sa audit --db "$db" --config "$work/audit.toml" --check missing_index_statements --format json \
  --query-log "$logs/postgresql.csv" --opt-in hypopg
expect_rc 0
hypo=$(python3 - "$out" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
for f in doc["findings"]:
    if f["evidence"].get("columns") == ["customer_id"]:
        h = f["evidence"].get("hypopg", {})
        print("confirmed" if h.get("index_used") and h["cost_after"] < h["cost_before"] else f"not confirmed: {h}")
PY
)
[ "$hypo" = confirmed ] || fail "hypopg did not confirm the index on orders(customer_id) from the logs: $hypo"
own psql -qX -v ON_ERROR_STOP=1 -d shop -c "drop extension hypopg"

# The server's log_line_prefix given: the same findings.
run_sa audit --db "$db" --config "$work/audit.toml" --check missing_index_statements --check unused_column_statements \
  --format json --query-log "$logs/postgresql.log" --log-line-prefix '%m [%p] %q%u@%d '
expect_rc 0
check_findings "stderr with --log-line-prefix"

# unused_table: the log is a second signal. Two snapshots 20 days apart with rows written in
# between and no table read: archive_2019, which no logged statement names, keeps its confidence
# and says the logs agree; customers, which logged statements name, is low confidence (info) and
# says so. The control: without the log, customers is not low confidence.
tables_audit() { # HISTORY ARGS...
  local history=$1
  shift
  run_sa audit --db "$db" --config "$work/audit.toml" --check unused_table --check metrics_tables \
    --format json --history "$work/$history.db" --name shop "$@"
  expect_rc 0
}
table_finding() { # TABLE: "confidence|severity|statements naming it|message", or "none"
  python3 - "$out" "$1" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
f = next((f for f in doc["findings"] if f["check_id"] == "unused_table" and f["object"] == "public." + sys.argv[2]), None)
if f is None:
    print("none")
else:
    ql = f["evidence"].get("query_log", {})
    print("|".join([f["confidence"], f["severity"], str(ql.get("statements_naming_it", "-")), f["message"]]))
PY
}
before=$(date -u -d '-20 days' +%Y-%m-%dT%H:%M:%SZ)
tables_audit with_log --as-of "$before"
tables_audit without_log --as-of "$before"
own psql -qX -d shop -c "set log_min_duration_statement = -1" -c "insert into activity default values" >/dev/null
sleep 1
tables_audit with_log --query-log "$logs/postgresql.csv"
archive=$(table_finding archive_2019)
customers=$(table_finding customers)
[[ $archive == *"|0|"*"no statement of the query logs names it either"* ]] \
  || fail "unused_table: archive_2019 lacks the log's agreement: $archive"
[[ $archive != low* ]] || fail "unused_table: archive_2019 is low confidence: $archive"
[[ $customers == low\|info\|* && $customers == *"statement(s) of the query logs name it"* ]] \
  || fail "unused_table: customers, named by logged statements, is not low confidence: $customers"
tables_audit without_log
customers=$(table_finding customers)
[[ $customers != none && $customers != low* && $customers == *"|-|"* ]] \
  || fail "unused_table control: customers without the log: $customers"

# A missing file: one line, exit 2, before any connection.
run_sa audit --db "$db" --query-log "$work/nope.log"
expect_rc 2
expect_one_line_err
expect_err "query log $work/nope.log: no such file or directory"
run_sa audit --db "$db" --query-log "$work/none-*.log"
expect_rc 2
expect_err "no file matches this pattern"
# In a fleet config: exit 6 (a config error), naming the target.
cat >"$work/fleet.toml" <<TOML
[[targets]]
name = "shop"
db = "$db"
query_logs = ["$work/nope.log"]
TOML
run_sa audit --config "$work/fleet.toml"
expect_rc 6
expect_one_line_err
expect_err "target \"shop\": query log $work/nope.log"
# And a good one: the target's logs are read.
cat >"$work/fleet.toml" <<TOML
[audit]
stats_min_age_days = 0
[checks.unused_column_statements]
min_statements = 1
[[targets]]
name = "shop"
db = "$db"
query_logs = ["$logs/postgresql.csv"]
TOML
run_sa audit --config "$work/fleet.toml" --check missing_index_statements --format json
expect_rc 0
grep -q '"customer_id"' <<<"$out" || fail "fleet: no index proposed from the target's query_logs: $out"
echo "query_log: ok"
