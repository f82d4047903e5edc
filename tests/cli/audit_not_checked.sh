#!/usr/bin/env bash
# Skipped is not fixed. An audit stores three findings of three checks; in the next audit those
# checks fail to run for real: one waits for a table another session holds in ACCESS EXCLUSIVE
# (lock_timeout), one runs past --statement-timeout, and one is cancelled by pg_cancel_backend
# from another session. The second audit names each true cause (the cancelled one is not
# "timed out"), exits 8 under --fail-on, and the report, the diff and the fleet overview count
# those findings as "not checked this time", never as fixed; after a third audit where they run
# again, they are not new either. Run against both history backends (SQLite and PostgreSQL).
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

db=$(plant_db hnotchecked)
other=$(plant_db hnotchecked_other)
export PGDATABASE=$db
psql -q -X -c "create table busy(id int); create table flags(slow boolean); insert into flags values (false)"
mkdir "$work/q"
cat >"$work/q/zz_locked.sql" <<'SQL'
-- id: zz_locked
-- category: test_locked
-- title: Reads the size of a table another session may lock
--
select 'public.busy' as object, 'table' as object_type, 'size read' as message
where pg_catalog.pg_relation_size('public.busy') >= 0
SQL
for check in zz_slow zz_cancel; do
  cat >"$work/q/$check.sql" <<SQL
-- id: $check
-- category: test_$check
-- title: Sleeps a minute when public.flags says so
--
select '$check' as object, 'table' as object_type, 'ran' as message
from pg_catalog.pg_sleep(case when (select slow from public.flags) then 60 else 0 end)
SQL
done
checks=(--queries "$work/q" --check zz_locked --check zz_slow --check zz_cancel --check invalid_index)
locker=""
trap 'kill $locker 2>/dev/null || true; cleanup' EXIT

histdb=$(make_db hnotchecked_history)
for history in "$work/h.db" "dbname=$histdb"; do
  psql -q -X -c "update flags set slow = false"
  run_sa audit "${checks[@]}" --history "$history" --as-of 2026-01-01 --fail-on info
  expect_rc 1
  run_sa audit --db "dbname=$other" --check invalid_index --history "$history" --as-of 2026-01-01
  expect_rc 0

  # The faults: a lock held by another session, slow checks, one of them cancelled by an admin.
  psql -q -X -c "update flags set slow = true"
  PGAPPNAME=sa_locker psql -q -X -c "begin; lock table busy in access exclusive mode; select pg_sleep(120);" >/dev/null 2>&1 &
  locker=$!
  for _ in $(seq 1 100); do
    [ "$(psql -AtX -c "select count(*) from pg_locks l join pg_class c on c.oid = l.relation
                        where c.relname = 'busy' and l.mode = 'AccessExclusiveLock' and l.granted")" = 1 ] && break
    sleep 0.1
  done
  "$bin" audit "${checks[@]}" --history "$history" --as-of 2026-04-01 --fail-on info --jobs 3 \
    --lock-timeout 300 --statement-timeout 6000 --format json >"$work/out" 2>"$work/err" </dev/null &
  pid=$!
  # One session polls every 20 ms and cancels the statement as soon as it runs: a psql started
  # per poll took seconds under the suite's load, and a cancel past --statement-timeout is the
  # timeout's (CI, 2026-12-07).
  cancelled=$(PGAPPNAME=sa_canceller psql -AtX -v ON_ERROR_STOP=1 -c "
    do \$\$
    declare
      target int;
    begin
      for i in 1 .. 1000 loop
        perform pg_catalog.pg_stat_clear_snapshot();
        select pid into target from pg_catalog.pg_stat_activity
         where datname = '$db' and application_name = 'schema-audit' and state = 'active'
           and pid <> pg_catalog.pg_backend_pid() and query like '%zz_cancel%'
         limit 1;
        if target is not null and pg_catalog.pg_cancel_backend(target) then
          raise notice 'cancelled';
          return;
        end if;
        perform pg_catalog.pg_sleep(0.02);
      end loop;
    end \$\$;" 2>&1 | grep -c "NOTICE:  cancelled" || true)
  [ "$cancelled" = 1 ] || fail "found no zz_cancel statement to cancel"
  rc=0
  wait $pid || rc=$?
  # The lock goes with the locking session (killing psql would leave its backend sleeping).
  psql -q -X -c "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'sa_locker'" >/dev/null
  wait $locker 2>/dev/null || true
  out=$(cat "$work/out")
  err=$(cat "$work/err")
  expect_rc 8
  python3 - "$out" <<'PY' || fail "$history: unexpected causes: $out"
import json, sys
d = json.loads(sys.argv[1])
causes = {s["check_id"]: (s["cause"], s["reason"]) for s in d["skipped"]}
assert causes["zz_locked"][0] == "lock_timeout", causes
assert causes["zz_slow"][0] == "statement_timeout", causes
assert causes["zz_cancel"][0] == "cancelled", causes
assert "timed out" not in causes["zz_cancel"][1] and "pg_cancel_backend" in causes["zz_cancel"][1], causes
assert all(s["failed"] for s in d["skipped"]), d["skipped"]
PY

  run_sa report --history "$history" --format json
  expect_rc 0
  python3 - "$out" "$db" <<'PY' || fail "$history: the report counts checks that did not run as fixed: $out"
import json, sys
d = json.loads(sys.argv[1])
db = next(x for x in d["databases"] if x["name"] == sys.argv[2])
ch = db["changes"]
assert ch["fixed_count"] == 0, ch["fixed"]
assert sorted(f["check_id"] for f in ch["not_checked"]) == ["zz_cancel", "zz_locked", "zz_slow"], ch["not_checked"]
assert all(f["reason"] for f in ch["not_checked"]), ch["not_checked"]
row = next(r for r in d["fleet"] if r["name"] == sys.argv[2])
assert {c["check_id"]: c["cause"] for c in row["failed_checks"]} == \
    {"zz_locked": "lock_timeout", "zz_slow": "statement_timeout", "zz_cancel": "cancelled"}, row
PY
  run_sa report --history "$history" --format markdown
  expect_out "**3 not checked this time**"
  expect_out "**0 fixed**"
  run_sa diff --history "$history" --db-name "$db" --format json
  expect_rc 0
  python3 - "$out" <<'PY' || fail "$history: the diff counts checks that did not run as fixed: $out"
import json, sys
d = json.loads(sys.argv[1])
assert d["counts"]["fixed"] == 0, d["fixed"]
assert d["counts"]["not_checked"] == 3, d["not_checked"]
assert {s["check_id"] for s in d["not_run"]["to"] if s["failed"]} == {"zz_locked", "zz_slow", "zz_cancel"}, d["not_run"]
PY
  run_sa diff --history "$history" --db-name "$db"
  expect_out "0 new, 0 fixed, 0 worse, 0 better, 1 unchanged, 3 not checked in the newer snapshot"
  expect_out "zz_cancel: cancelled by another session"

  # They run again: their findings are not new.
  psql -q -X -c "update flags set slow = false"
  run_sa audit "${checks[@]}" --history "$history" --as-of 2026-07-01
  expect_rc 0
  run_sa report --history "$history" --db-name "$db" --format json
  python3 - "$out" <<'PY' || fail "$history: findings of checks that did not run before count as new: $out"
import json, sys
ch = json.loads(sys.argv[1])["databases"][0]["changes"]
assert ch["new_count"] == 0, ch["new"]
assert ch["not_checked_before_count"] == 3, ch
PY
done
echo "ok"
