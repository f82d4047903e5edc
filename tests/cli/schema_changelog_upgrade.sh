#!/usr/bin/env bash
# The schema's history across a server upgrade (#18): pg_get_viewdef() prints the same view in
# another way on another major (16 stopped qualifying the columns of a query over one relation),
# so a view's definition hash changes with nothing changed by anyone. A database audited on the
# test cluster, dumped and restored on a cluster of another major (what pg_upgrade does with the
# schema), audited again into the same histories (SQLite and PostgreSQL): the changelog, the
# report and diff say the server was upgraded and count the views re-printed, and list no view
# as altered. The control: a view really changed afterwards, on the same major, is listed.
. "$(dirname "$0")/lib/common.bash"

# The upgrade to 16, the major that prints anew, from the test cluster's (Debian's 15).
old_major=$(( $(psql -AtX -c "show server_version_num") / 10000 ))
[ "$old_major" -lt 16 ] || fail "the test cluster runs PostgreSQL $old_major: this test upgrades an older one to 16"
new_major=16
new_bindir="$src/.tools/pg/$new_major/bin"
[ -x "$new_bindir/postgres" ] || fail "no PostgreSQL $new_major server in $new_bindir: run scripts/install-deps.sh"

new_env=$work/new.env
stop_new() {
  "$src/scripts/local-pg.sh" stop "$new_env" >/dev/null 2>&1 || true
  cleanup
}
trap stop_new EXIT
PG_BINDIR=$new_bindir "$src/scripts/local-pg.sh" start "$new_env" 2>/dev/null
new() { (set -a; . "$new_env"; set +a; "$@"); }

db=$(make_db upgrade)
histdb=$(make_db upgrade_hist)
histories=("$work/h.db" "dbname=$histdb") # a SQLite history and a PostgreSQL one
# audit_at CONNINFO DATE: one audit stored in both histories, stamped DATE.
audit_at() {
  for history in "${histories[@]}"; do
    run_sa audit --db "$1" --check no_primary_key --history "$history" --name shop --as-of "${2}T00:00:00Z" --format json
    expect_rc 0
  done
}
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "
  create table customers(id bigint primary key, name text not null, region text);
  create table orders(id bigint primary key, customer_id bigint not null references customers, amount integer,
                      status text);
  -- re-printed on 16: columns of one relation
  create view open_orders as select id, amount from orders where status = 'open';
  create view big_customers as select id, upper(name) as name from customers where region is not null;
  create materialized view order_totals as select customer_id, sum(amount) as total from orders group by customer_id;
  -- printed alike on every major: a join qualifies its columns anyway
  create view customer_orders as select c.name, o.amount from customers c join orders o on o.customer_id = c.id;"

audit_at "dbname=$db" 2024-01-15

# The upgrade: the schema dumped from the old server and restored on the new one.
new createdb shop
pg_dump --schema-only --no-owner -d "$db" >"$work/schema.sql"
new psql -qX -v ON_ERROR_STOP=1 -d shop -f "$work/schema.sql" >/dev/null
# The premise: the new server prints 3 of the 4 restored views anew (else this test proves nothing).
before=$(psql -AtX -d "$db" -c "select string_agg(c.relname || ': ' || md5(pg_get_viewdef(c.oid)), ' ' order by c.relname)
  from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm')")
after=$(new psql -AtX -d shop -c "select string_agg(c.relname || ': ' || md5(pg_get_viewdef(c.oid)), ' ' order by c.relname)
  from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm')")
changed=$(join <(tr ' ' '\n' <<<"$before" | paste -d' ' - - | sort) <(tr ' ' '\n' <<<"$after" | paste -d' ' - - | sort) |
  awk '$2 != $3' | wc -l)
[ "$changed" = 3 ] || fail "expected PostgreSQL $new_major to print 3 of the 4 views anew, got $changed: $before / $after"

new_conn="host=$(sed -n 's/^PGHOST=//p' "$new_env") port=$(sed -n 's/^PGPORT=//p' "$new_env") user=$(sed -n 's/^PGUSER=//p' "$new_env") dbname=shop"
audit_at "$new_conn" 2024-04-15

# The control: a view really changed, on the new server.
new psql -qX -v ON_ERROR_STOP=1 -d shop -c "create or replace view open_orders as
  select id, amount from orders where status in ('open', 'late')"
audit_at "$new_conn" 2024-07-15

cat >"$work/expected.md" <<EOF
# Schema changelog: shop

<!-- Written by schema-audit changelog from the audits' snapshots, newest first. Replace each "Why" with the reason for the change. -->

## 2024-07-15

- view public.open\\_orders: definition changed

Why: _…_

## 2024-04-15

- PostgreSQL upgraded from $old_major to $new_major
- 3 views: definitions re-printed by the new server; not compared

Why: _…_

## 2024-01-15

- Baseline: the catalog starts here (2 tables, 7 columns, 3 constraints, 2 indexes, 4 views, 1 extension).
EOF
for history in "${histories[@]}"; do
  run_sa changelog --history "$history"
  expect_rc 0
  diff -u "$work/expected.md" <(printf '%s\n' "$out") || fail "changelog of $history across the upgrade"

  # The report: the same lines in the quarter, counted as no object's change.
  run_sa report --history "$history" --format json
  expect_rc 0
  python3 - "$out" "$old_major" "$new_major" <<'PY' || fail "report of $history: schema changes across the upgrade"
import json, sys
sc = json.loads(sys.argv[1])["databases"][0]["schema_changes"]
old, new = sys.argv[2], sys.argv[3]
got = [(q["period"], q["altered"], [(c["change"], c["kind"], c["text"]) for c in q["changes"]]) for q in sc["quarters"]]
want = [
    ("2024 Q3", 1, [("altered", "view", "view public.open_orders: definition changed")]),
    ("2024 Q2", 0, [("upgraded", "server", f"PostgreSQL upgraded from {old} to {new}"),
                    ("not_compared", "view", "3 views: definitions re-printed by the new server; not compared")]),
]
assert got == want, got
PY

  # diff across the upgrade: the upgrade, the count, no altered view.
  run_sa diff --history "$history" --from 2024-01-15 --to 2024-04-15
  expect_rc 0
  expect_out "Schema changes (2):"
  expect_out "PostgreSQL upgraded from $old_major to $new_major"
  expect_out "3 views: definitions re-printed by the new server; not compared"
  if grep -q "definition changed" <<<"$out"; then fail "diff of $history lists a view as altered across the upgrade: $out"; fi
done
