#!/usr/bin/env bash
# The audit's own reads are no recorded statements: a check's rows come through a cursor named
# sa_<check>, the same name in every audit (one pg_stat_statements entry per check, its calls
# growing, not one entry per check and audit), and the recorded_statements input leaves those
# cursors out, with the savepoints, timeouts and snapshots around them (the statement checks
# parsed the previous audits' 50 KB catalog queries, a second of every audit).
. "$(dirname "$0")/lib/common.bash"

db=$(make_db own_statements)
psql -q -X -d "$db" -c "create extension pg_stat_statements" \
  -c "create table public.orders(id bigint primary key, customer_id bigint)" \
  -c "select count(*) from public.orders where customer_id = 7" >/dev/null ||
  fail "the database could not be made"

timeouts() {
  psql -AtX -d "$db" -c "select count(*) from pg_stat_statements s join pg_database d on d.oid = s.dbid
                         where d.datname = current_database() and s.query like '%statement\_timeout =%'"
}
recorded=()
timeout_texts=()
for i in 1 2 3; do
  run_sa audit --db "dbname=$db" --jobs 3 --no-progress --format json --output "$work/audit$i.json"
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "audit $i: exit $rc: $err"
  recorded+=("$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(next(t["rows"] for t in d["input_timings"] if t["input"] == "recorded_statements"))' "$work/audit$i.json")")
  timeout_texts+=("$(timeouts)")
done
# The first audit's cursors are all recorded before the second one reads; the third reads what
# the second did, and finds nothing new (before, each audit added some 150: a DECLARE, FETCH and
# CLOSE per check, the savepoints, and the snapshot each of the three workers imports).
[ "${recorded[2]}" = "${recorded[1]}" ] ||
  fail "the recorded statements grew from ${recorded[1]} to ${recorded[2]} in one audit: its own reads are among them"
# The application's statement is still read.
[ "${recorded[2]}" -ge 1 ] || fail "no recorded statement was read"
[ "$(psql -AtX -d "$db" -c "select count(*) from pg_stat_statements s join pg_database d on d.oid = s.dbid
                             where d.datname = current_database() and s.query like 'select count(*) from public.orders%'")" = 1 ] ||
  fail "the application's statement is not in pg_stat_statements"
calls=$(psql -AtX -d "$db" -c "select string_agg(s.calls::text, ',') from pg_stat_statements s join pg_database d on d.oid = s.dbid
                                where d.datname = current_database() and s.query like 'declare sa\_int\_overflow%'")
[ "$calls" = 3 ] || fail "int_overflow's cursor is not one entry called three times: calls $calls"
# Each fetch of a paged read sets what is left of the check's budget, in whole seconds: the
# same texts in every audit, not some 55 new pg_stat_statements entries each (by the millisecond
# they crowded the application's statements out of its 5,000 entries in a daily audit).
[ "${timeout_texts[2]}" = "${timeout_texts[1]}" ] ||
  fail "the statement timeouts set grew from ${timeout_texts[1]} to ${timeout_texts[2]} texts in one audit"
