#!/usr/bin/env bash
# An audit takes no lock above ACCESS SHARE, proven under load: a database with 3,000 used
# sequences (serial keys) and their tables is audited with two connections while another
# session samples pg_locks over and over; any relation lock other than AccessShareLock held by
# the audit's backends (application_name schema-audit) fails the test. Reading sequence values
# with pg_sequence_last_value() took RowExclusiveLock on every sequence until the audit ended.
# The number of locks is bounded too: a plain select from each sequence holds its ACCESS SHARE
# until the transaction ends, and 24,000 sequences filled a default server's shared lock table
# (out of shared memory, for the audit and the application alike). The values are read in pages
# of 1,000 sequences, a transaction each: no backend of the audit may hold more than a page's
# sequence locks at once, and every value still reaches the checks (a sequence at 98 % of its
# type is found).
. "$(dirname "$0")/lib/common.bash"

db=$(make_db hlocks)
export PGDATABASE=$db
for from in 1 501 1001 1501 2001 2501; do
  psql -q -X -c "do \$\$ begin for i in $from..$((from + 499)) loop
    execute format('create table t%s (id serial primary key)', i);
    execute format('insert into t%s default values', i);
  end loop; end \$\$;"
done
# A deprecated sequence: deprecated_object's undo reads its last value (pg_sequences would lock it
# ROW EXCLUSIVE).
psql -q -X -c "create sequence deprecated_tickets_seq; select nextval('deprecated_tickets_seq');" >/dev/null
psql -q -X -c "create table nearly_full (id serial primary key); select setval('nearly_full_id_seq', 2100000000);" >/dev/null
# The locks are sampled by one session on the server, every 10 ms from the audit's first
# connection to its last (pg_stat_clear_snapshot() makes each look at pg_stat_activity anew): a
# psql started per sample took ~100 ms and under load could miss the short transactions in which
# the sequences are read. A last check that sleeps (tests/fixtures/pause_check) makes the samples
# also see the audit holding every lock it took (one transaction per connection for the whole
# audit).
psql -qAtX -v ON_ERROR_STOP=1 >"$work/samples" 2>"$work/sampler.err" <<'SQL' &
create temp table bad(lock text);
create temp table sequence_locks(n bigint);
do $$
declare
  deadline timestamptz := clock_timestamp() + interval '120 seconds';
  started boolean := false;
begin
  loop
    perform pg_catalog.pg_stat_clear_snapshot();
    if exists (select 1 from pg_catalog.pg_stat_activity
               where datname = current_database() and application_name = 'schema-audit') then
      started := true;
    elsif started or clock_timestamp() > deadline then
      exit;
    end if;
    insert into bad
      select a.pid || ' ' || l.mode || ' ' || coalesce(l.relation::text, '?')
      from pg_catalog.pg_locks l join pg_catalog.pg_stat_activity a on a.pid = l.pid
      where a.datname = current_database() and a.application_name = 'schema-audit'
        and l.locktype = 'relation' and l.mode <> 'AccessShareLock';
    insert into sequence_locks
      select coalesce(max(n), 0) from (
        select count(*) n from pg_catalog.pg_locks l
        join pg_catalog.pg_stat_activity a on a.pid = l.pid
        join pg_catalog.pg_class c on c.oid = l.relation
        where a.datname = current_database() and a.application_name = 'schema-audit' and c.relkind = 'S'
        group by a.pid) x;
    perform pg_catalog.pg_sleep(0.01);
  end loop;
end $$;
select 'samples ' || count(*) || ' ' || coalesce(max(n), 0) from sequence_locks;
select 'bad ' || lock from bad group by lock;
SQL
sampler=$!
"$bin" -v audit --queries "$src/tests/fixtures/pause_check" --jobs 2 --format json >"$work/out" 2>"$work/err" </dev/null &
pid=$!
trap 'kill $pid $sampler 2>/dev/null || true; cleanup' EXIT
rc=0
wait "$pid" || rc=$?
wait "$sampler" || fail "the lock sampler failed: $(cat "$work/sampler.err")"
read -r samples seen_sequences < <(sed -n 's/^samples //p' "$work/samples")
grep '^bad ' "$work/samples" >"$work/bad" || true
err=$(cat "$work/err")
expect_rc 0
[ ! -s "$work/bad" ] || fail "the audit held locks above ACCESS SHARE: $(sort -u "$work/bad" | head -5)"
[ "$seen_sequences" -ge 1 ] || fail "no sample saw the audit reading the sequences ($samples samples)"
[ "$seen_sequences" -le 1000 ] || fail "a backend of the audit held $seen_sequences sequence locks at once (a page is 1,000)"
expect_err "input sequence_values: read in 4 page(s) of at most 1000 rows, a transaction each"
python3 - "$work/out" <<'PY' || fail "sequence metrics missing: $(head -c 300 "$work/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert not any(s["check_id"] in ("metrics_sequences", "sequence_overflow", "int_overflow") for s in d["skipped"]), d["skipped"]
assert [f["object"] for f in d["findings"] if f["check_id"] == "sequence_overflow"] == ["public.nearly_full_id_seq"], \
    [f["object"] for f in d["findings"] if f["check_id"] == "sequence_overflow"]
PY
echo "ok ($samples samples, up to $seen_sequences sequences locked in ACCESS SHARE by one backend)"
