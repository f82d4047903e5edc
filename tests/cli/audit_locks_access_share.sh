#!/usr/bin/env bash
# An audit takes no lock above ACCESS SHARE, proven under load: a database with 3,000 used
# sequences (serial keys) and their tables is audited with two connections while another
# session samples pg_locks over and over; any relation lock other than AccessShareLock held by
# the audit's backends (application_name schema-audit) fails the test. Reading sequence values
# with pg_sequence_last_value() took RowExclusiveLock on every sequence until the audit ended.
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
# A last check that sleeps, so the samples also see the audit holding every lock it took (one
# transaction per connection for the whole audit).
mkdir "$work/q"
cat >"$work/q/zz_pause.sql" <<'SQL'
-- id: zz_pause
-- category: test_pause
-- title: Sleeps 2 seconds
-- cost: low
--
select 'pause' as object, 'test' as object_type, 'paused' as message from pg_catalog.pg_sleep(2)
SQL

"$bin" audit --queries "$work/q" --jobs 2 --format json >"$work/out" 2>"$work/err" </dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true; cleanup' EXIT
samples=0
seen_sequences=0
: >"$work/bad"
while kill -0 "$pid" 2>/dev/null; do
  psql -AtX -d postgres >>"$work/bad" -c "
    select a.pid || ' ' || l.mode || ' ' || coalesce(l.relation::text, '?')
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where a.datname = '$db' and a.application_name = 'schema-audit'
      and l.locktype = 'relation' and l.mode <> 'AccessShareLock'"
  n=$(psql -AtX -c "select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid
                     join pg_class c on c.oid = l.relation
                     where a.datname = '$db' and a.application_name = 'schema-audit' and c.relkind = 'S'")
  [ "${n:-0}" -gt "$seen_sequences" ] && seen_sequences=$n
  samples=$((samples + 1))
done
rc=0
wait "$pid" || rc=$?
err=$(cat "$work/err")
expect_rc 0
[ ! -s "$work/bad" ] || fail "the audit held locks above ACCESS SHARE: $(sort -u "$work/bad" | head -5)"
[ "$seen_sequences" -ge 2000 ] || fail "no sample saw the audit reading the sequences ($seen_sequences locked, $samples samples)"
python3 - "$work/out" <<'PY' || fail "sequence metrics missing: $(head -c 300 "$work/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert not any(s["check_id"] in ("metrics_sequences", "sequence_overflow", "int_overflow") for s in d["skipped"]), d["skipped"]
PY
echo "ok ($samples samples, up to $seen_sequences sequences locked in ACCESS SHARE)"
