#!/usr/bin/env bash
# Every remediation the audit prints must be safe SQL by the squawk migration linter
# (npm squawk-cli, installed into .tools/ by scripts/install-deps.sh) and must run on a copy of
# the database it was made for. The database is planted with a problem for every check (all of
# them, whoever wrote them): `audit --format json` on it, then for each finding with a
# remediation:
#   1. squawk over it, failing with the check id, the object and squawk's message, except for
#      the rules silenced below, each with its reason;
#   2. psql -v ON_ERROR_STOP=1 over it on a fresh copy of the planted database (one per check),
#      so that every statement is parsed and run by PostgreSQL itself.
# Checks that ran but found nothing here are listed on stderr: plant their problem below so
# their remediation gets linted too. The checks in `required` must have findings.
. "$(dirname "$0")/lib/common.bash"

squawk="$src/.tools/node_modules/.bin/squawk"
[ -x "$squawk" ] || fail "squawk is not installed in $src/.tools: run scripts/install-deps.sh"

# Rules silenced for every check, and why.
silenced_everywhere=(
  # The remediation sets lock_timeout, which is what keeps a waiting ALTER from queueing every
  # query behind it. A statement_timeout would instead abort the steps that are long by design
  # (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, batched backfills) and leave invalid indexes.
  require-statement-timeout
  # The remediation is a runbook applied step by step, not a migration file re-run by a tool: it
  # uses IF [NOT] EXISTS wherever PostgreSQL has it, but ADD CONSTRAINT has none, and the
  # CONCURRENTLY steps cannot run inside a transaction.
  prefer-robust-stmts
)
# Rules silenced for one check only: "check_id rule reason".
silenced_for_check=(
  "type_varchar_n changing-column-type varchar(n) to text is binary-coercible: a catalog-only change, no rewrite, no index rebuild"
  "type_timestamp_no_tz changing-column-type timestamp to timestamptz is catalog-only in a UTC session on PostgreSQL 12+; the remediation says so and warns about index rebuilds"
  "no_primary_key adding-serial-primary-key-field partitioned parents have no ADD PRIMARY KEY USING INDEX; the remediation builds the index concurrently on each partition first, so the ADD attaches them"
  "no_primary_key constraint-missing-not-valid same statement as above: a primary key cannot be NOT VALID"
)
# Checks whose remediation the planted database must exercise.
required=(
  invalid_index no_primary_key sequence_overflow int_overflow missing_fk fk_type_mismatch cross_tenant_fk
  not_valid_constraint not_null_candidate unique_candidate type_varchar_n type_char_n type_money
  type_timestamp_no_tz type_serial type_int_key
)

db=$(make_db lint)
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
create extension if not exists pg_stat_statements;
create extension if not exists pgstattuple;
create schema "Billing ""EU""";
set search_path = "Billing ""EU""", public;

create table tenants(id bigint generated always as identity primary key, name varchar(120) not null);
insert into tenants(name) select 'tenant ' || g from generate_series(1, 50) g;
create table users(id serial primary key, tenant_id bigint not null references tenants(id), email text,
                   username text, country char(2), created_at timestamp default now(), plan text);
insert into users(tenant_id, email, username, country, plan)
  select g % 50 + 1, 'user' || g || '@example.com', 'user' || g, 'FR', case when g % 3 = 0 then 'pro' end
  from generate_series(1, 3000) g;
create table projects(id bigint primary key, tenant_id bigint not null, owner_id integer, name text);
insert into projects select g, g % 50 + 1, g % 3000 + 1, 'project ' || g from generate_series(1, 2000) g;
create table tasks(id bigint primary key, tenant_id bigint not null, project_id bigint references projects(id),
                   user_id integer, title text, amount money);
insert into tasks select g, (g % 2000 + 1) % 50 + 1, g % 2000 + 1, g % 3000 + 1, 'task ' || g, 10 from generate_series(1, 3000) g;
create table comments(id bigint primary key, task_id integer references tasks(id), body text);
alter table tasks add constraint tasks_amount_positive check (amount > 0::money) not valid;
create table audit_log(at timestamptz not null default now(), line text);
insert into audit_log(line) select 'event ' || g from generate_series(1, 100) g;
create table invoices(id serial primary key, counter integer, number text);
select setval('invoices_id_seq', 2000000000);
insert into invoices(counter, number) select 1900000000 + g, 'INV-' || g from generate_series(1, 2000) g;
create index invoices_counter_idx on invoices(counter);
create index invoices_counter_idx2 on invoices(counter);
create index invoices_counter_number_idx on invoices(counter, number);
create table measurements(id bigint not null, taken_on date not null, value numeric) partition by range (taken_on);
create table measurements_2024 partition of measurements for values from ('2024-01-01') to ('2025-01-01');
create table deprecated_exports(id bigint primary key);
create table churn(id bigint primary key, payload text) with (autovacuum_enabled = false);
insert into churn select g, repeat('x', 200) from generate_series(1, 20000) g;
delete from churn where id % 5 <> 0;

create table public.orders(id integer primary key, customer_ref text, placed_at timestamp);
insert into public.orders select g, 'c' || g, now() from generate_series(1, 2000) g;
SQL
# An invalid index: a unique build that failed on a duplicate, cleaned up since.
psql -q -X -d "$db" -c 'create unique index concurrently users_plan_key on "Billing ""EU""".users(plan)' >/dev/null 2>&1 || true
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -c 'update "Billing ""EU""".users set plan = plan || id where plan is not null' >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
analyze;
select count(*) from "Billing ""EU""".tasks where title = 'task 7' \g /dev/null
select count(*) from "Billing ""EU""".tasks where title = 'task 8' \g /dev/null
select pg_stat_force_next_flush();
SQL

cat >"$work/lint.toml" <<'TOML'
[checks.type_int_key]
min_rows = 1000
[checks.unused_index]
min_size_bytes = 0
[checks.missing_index]
min_rows = 1000
min_seq_scan = 1
min_avg_seq_tup = 100
[checks.table_bloat]
min_bloat_bytes = 0
min_bloat_pct = 10
[checks.index_bloat]
min_bloat_bytes = 0
min_bloat_pct = 10
[checks.vacuum_health]
min_dead_tup = 100
TOML

run_sa audit --config "$work/lint.toml" --db "dbname=$db" --format json --opt-in exact_bloat --output "$work/audit.json"
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "audit failed with exit $rc: $err"

# One file per remediation: rem/<check_id>/<n>.sql, and rem/index.tsv (file, check, object).
python3 - "$work/audit.json" "$work/rem" "${required[@]}" <<'PY' || fail "the audit JSON lacks the expected findings"
import json, os, sys
audit, out, required = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(open(audit))
os.makedirs(out)
ran = {t["check_id"] for t in d.get("timings", [])} - {s["check_id"] for s in d.get("skipped", [])}
found = {}
with open(os.path.join(out, "index.tsv"), "w") as index:
    for f in d["findings"]:
        if not f.get("remediation"):
            continue
        n = found[f["check_id"]] = found.get(f["check_id"], 0) + 1
        os.makedirs(os.path.join(out, f["check_id"]), exist_ok=True)
        path = os.path.join(out, f["check_id"], f"{n}.sql")
        open(path, "w").write(f["remediation"] + "\n")
        index.write("\t".join([path, f["check_id"], f["object"].replace("\t", " ").replace("\n", " ")]) + "\n")
print(f"remediation_lint: {sum(found.values())} remediations from {len(found)} checks", file=sys.stderr)
for c in sorted(ran - set(found) - {"metrics_database", "metrics_indexes", "metrics_sequences", "metrics_tables"}):
    print(f"remediation_lint: not covered (no finding with a remediation in the planted database): {c}", file=sys.stderr)
missing = [c for c in required if c not in found]
if missing:
    print("FAIL: no remediation to lint from: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
PY

failures=0
# 1. squawk, one run per check with that check's silenced rules.
for dir in "$work"/rem/*/; do
  check=$(basename "$dir")
  excludes=$(IFS=,; echo "${silenced_everywhere[*]}")
  for entry in "${silenced_for_check[@]}"; do
    read -r c rule _ <<<"$entry"
    [ "$c" = "$check" ] && excludes="$excludes,$rule"
  done
  lint_rc=0
  "$squawk" --reporter json --pg-version 13.0 --exclude "$excludes" "$dir"*.sql >"$work/squawk.json" 2>"$work/squawk.err" || lint_rc=$?
  [ "$lint_rc" = 0 ] && continue
  [ -s "$work/squawk.json" ] || fail "squawk failed on $check without a report: $(cat "$work/squawk.err")"
  python3 - "$work/squawk.json" "$work/rem/index.tsv" <<'PY' >&2
import json, sys
objects = {line.split("\t")[0]: line.rstrip("\n").split("\t")[1:] for line in open(sys.argv[2])}
for v in json.load(open(sys.argv[1])):
    check, obj = objects.get(v["file"], ["?", v["file"]])
    text = open(v["file"]).read().splitlines()
    stmt = text[v["line"]] if 0 <= v["line"] < len(text) else ""
    print(f"FAIL: {check} {obj}: squawk {v['rule_name']}: {v['message']}\n    {stmt}")
PY
  failures=$((failures + 1))
done

# 2. PostgreSQL runs the remediations on a fresh copy of the planted database, one copy per
#    check (its findings are about different objects), in the order the audit gave them.
copy=""
while IFS=$'\t' read -r path check object; do
  if [ "$copy" != "${db}_${check}" ]; then
    [ -z "$copy" ] || dropdb --force "$copy"
    copy="${db}_${check}"
    createdb -T "$db" "$copy"
    cleanup_dbs+=("$copy")
  fi
  if ! psql -q -X -v ON_ERROR_STOP=1 -d "$copy" -f "$path" >"$work/run.out" 2>&1; then
    echo "FAIL: $check $object: the remediation does not run: $(grep -m1 ERROR "$work/run.out")" >&2
    failures=$((failures + 1))
  fi
done < <(sort -t$'\t' -k2,2 -s "$work/rem/index.tsv")
[ -z "$copy" ] || dropdb --force "$copy"

[ "$failures" = 0 ] || fail "$failures remediation problem(s), listed above"
echo "ok: $(wc -l <"$work/rem/index.tsv") remediations pass squawk $("$squawk" --version | cut -d' ' -f2) and run on a copy"
