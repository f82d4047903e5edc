#!/usr/bin/env bash
# The schema's history (#18): a database audited, then real migrations applied one by one (a
# table added, a column added, a column renamed to deprecated_*, a type changed through
# expand-contract, a foreign key added NOT VALID then validated, the deprecated column dropped),
# audited after each with --as-of a quarter apart, into a SQLite history and a PostgreSQL one.
# `changelog` and the report's schema changes list exactly those changes, in order, with the
# deprecation's age in days; both histories give the same.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db schemalog)
histdb=$(make_db schemalog_hist)
sqlite="$work/h.db"
pg_history="dbname=$histdb"
sql() { psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "$1" >/dev/null; }

# audit_at DATE: one audit stored in both histories, stamped DATE.
audit_at() {
  for history in "$sqlite" "$pg_history"; do
    run_sa audit --db "dbname=$db" --check invalid_index --check deprecated_object --history "$history" --name shop \
      --as-of "${1}T00:00:00Z" --format json
    expect_rc 0
  done
}

sql "create table customers(id bigint primary key, name text not null, fax text);
     create table orders(id bigint primary key, customer_id bigint not null references customers, amount integer);
     insert into customers values (1, 'a', null); insert into orders values (1, 1, 10)"
audit_at 2024-01-15
sql "create table invoices(id bigint primary key, customer_id bigint not null, total numeric)"
audit_at 2024-04-15
sql "alter table customers add column email text"
audit_at 2024-07-15
sql "alter table customers rename column fax to deprecated_fax"
audit_at 2024-10-15
# expand-contract: the new column, the backfill, the swap keeping the old one as deprecated_amount
sql "alter table orders add column amount_new bigint"
sql "update orders set amount_new = amount"
sql "alter table orders rename column amount to deprecated_amount"
sql "alter table orders rename column amount_new to amount"
audit_at 2025-01-15
sql "alter table invoices add constraint invoices_customer_fk foreign key (customer_id) references customers(id) not valid"
audit_at 2025-04-15
sql "alter table invoices validate constraint invoices_customer_fk"
audit_at 2025-07-15
sql "alter table customers drop column deprecated_fax"
audit_at 2025-10-15

cat >"$work/expected.md" <<'EOF'
# Schema changelog: shop

<!-- Written by schema-audit changelog from the audits' snapshots, newest first. Replace each "Why" with the reason for the change. -->

## 2025-10-15

- dropped column public.customers.deprecated\_fax (365 days after its rename from public.customers.fax on 2024-10-15)

Why: _…_

## 2025-07-15

- constraint public.invoices.invoices\_customer\_fk: validated

Why: _…_

## 2025-04-15

- added constraint public.invoices.invoices\_customer\_fk: FOREIGN KEY (customer\_id) REFERENCES customers(id) NOT VALID

Why: _…_

## 2025-01-15

- added column public.orders.amount: bigint
- renamed column public.orders.amount to deprecated\_amount
- column public.orders.amount: type integer → bigint (expand-contract: the old column is kept as deprecated\_amount)

Why: _…_

## 2024-10-15

- renamed column public.customers.fax to deprecated\_fax

Why: _…_

## 2024-07-15

- added column public.customers.email: text

Why: _…_

## 2024-04-15

- added table public.invoices

Why: _…_

## 2024-01-15

- Baseline: the catalog starts here (2 tables, 6 columns, 3 constraints, 2 indexes, 1 extension).
EOF

for history in "$sqlite" "$pg_history"; do
  run_sa changelog --history "$history"
  expect_rc 0
  diff -u "$work/expected.md" <(printf '%s\n' "$out") || fail "changelog of $history differs from the migrations applied"

  # --since: the entries from that date on.
  run_sa changelog --history "$history" --db-name shop --since 2025-04-01
  expect_rc 0
  [ "$(grep -c '^## ' <<<"$out")" = 3 ] || fail "changelog --since 2025-04-01 of $history: $out"

  # The report: a quarter per change, notable first, and the deprecation's age.
  run_sa report --history "$history" --format json
  expect_rc 0
  python3 - "$out" <<'PY' || fail "report of $history: schema changes"
import json, sys
db = json.loads(sys.argv[1])["databases"][0]
sc = db["schema_changes"]
assert sc["has_catalog"] and sc["baseline_date"] == "2024-01-15", sc
got = [(q["period"], [c["text"] for c in q["changes"]]) for q in sc["quarters"]]
want = [
    ("2025 Q4", ["dropped column public.customers.deprecated_fax (365 days after its rename from public.customers.fax on 2024-10-15)"]),
    ("2025 Q3", ["constraint public.invoices.invoices_customer_fk: validated"]),
    ("2025 Q2", ["added constraint public.invoices.invoices_customer_fk: FOREIGN KEY (customer_id) REFERENCES customers(id) NOT VALID"]),
    ("2025 Q1", ["column public.orders.amount: type integer → bigint (expand-contract: the old column is kept as deprecated_amount)",
                 "added column public.orders.amount: bigint",
                 "renamed column public.orders.amount to deprecated_amount"]),
    ("2024 Q4", ["renamed column public.customers.fax to deprecated_fax"]),
    ("2024 Q3", ["added column public.customers.email: text"]),
    ("2024 Q2", ["added table public.invoices"]),
]
assert got == want, got
q4 = sc["quarters"][0]
assert (q4["added"], q4["dropped"], q4["renamed"], q4["altered"]) == (0, 1, 0, 0), q4
assert q4["changes"][0]["deprecated_days"] == 365, q4
dropped = sc["dropped_deprecations"]
assert [(d["object"], d["original"], d["renamed_date"], d["dropped_date"], d["days"]) for d in dropped] == [
    ("public.customers.deprecated_fax", "public.customers.fax", "2024-10-15", "2025-10-15", 365)], dropped
# The deprecation board dates deprecated_amount from its rename, which the catalog recorded.
board = [(d["object"], d["first_seen"], d["first_seen_from"], d["age_days"]) for d in db["deprecations"]]
assert ("public.orders.deprecated_amount", "2025-01-15", "catalog", 273) in board, board
tables = next(s for s in sc["object_counts"]["series"] if s["name"] == "tables")
assert tables["values"] == [2, 3, 3, 3, 3, 3, 3, 3], tables
PY
  run_sa report --history "$history" --format markdown
  expect_rc 0
  expect_out "#### 2025 Q4: 0 added, 1 dropped, 0 renamed, 0 altered"
  expect_out "The catalog starts at the snapshot of 2024-01-15."

  # diff: the catalog's changes next to the findings'.
  run_sa diff --history "$history" --from 2025-04-15 --to 2025-10-15
  expect_rc 0
  expect_out "Schema changes (2):"
  expect_out "constraint public.invoices.invoices_customer_fk: validated"
done

# A window with nothing to list says so: an audit that found the schema unchanged, then none.
audit_at 2026-01-15
for history in "$sqlite" "$pg_history"; do
  run_sa changelog --history "$history" --since 2025-12-01
  expect_rc 0
  expect_out "No schema change since 2025-12-01: 1 audit found it unchanged."
  [ "$(grep -c '^## ' <<<"$out")" = 0 ] || fail "changelog --since 2025-12-01 of $history lists an entry: $out"
  run_sa changelog --history "$history" --since 2026-06-01
  expect_rc 0
  expect_out "No audit since 2026-06-01: the latest is of 2026-01-15."
done

# A database the history does not hold: a usage error naming the ones it holds.
run_sa changelog --history "$sqlite" --db-name nope
expect_rc 2
expect_err "shop"

# A history from before the catalog (schema 7): it keeps working, the next audit is the
# catalog's baseline, and the report and changelog say the catalog starts there.
cp "$src/tests/fixtures/history_v7.sqlite" "$work/old.db"
run_sa changelog --history "$work/old.db"
expect_rc 0
expect_out "No snapshot of fixture\_db has a catalog yet"
run_sa audit --db "dbname=$db" --check invalid_index --history "$work/old.db" --name fixture_db --format json
expect_rc 0
run_sa report --history "$work/old.db" --format markdown
expect_rc 0
expect_out "(the snapshots before it have none)"
run_sa changelog --history "$work/old.db"
expect_rc 0
expect_out "- Baseline: the catalog starts here (3 tables, 10 columns, 5 constraints, 3 indexes, 1 extension)."
