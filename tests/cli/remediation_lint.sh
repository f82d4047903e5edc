#!/usr/bin/env bash
# Every remediation the audit prints must be safe SQL by the squawk migration linter
# (npm squawk-cli, installed into .tools/ by scripts/install-deps.sh) and must run on a copy of
# the database it was made for. The database (tests/fixtures/remediation_plant.sql, shared with
# the round trip) is planted with a problem for every check (all of them, whoever wrote them): `audit --format json` on it, then for each finding with a
# remediation:
#   1. squawk over it, failing with the check id, the object and squawk's message, except for
#      the rules silenced below, each with its reason;
#   2. psql -v ON_ERROR_STOP=1 over it on a fresh copy of the planted database (one per check),
#      so that every statement is parsed and run by PostgreSQL itself.
# Checks that ran but found nothing here are listed on stderr: plant their problem below so
# their remediation gets linted too (in tests/fixtures/remediation_plant.sql). The checks in `required` must have findings.
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
  "unused_column renaming-column the rename to deprecated_<name> is the retirement step itself: a reader left behind fails loudly instead of reading NULLs, and the undo renames it back"
  "type_json changing-column-type below window_bytes (100 MB) the in-place ALTER is a short rewrite under lock_timeout, after a check that every value casts; larger tables get the expand-contract runbook instead"
  "unused_column_statements renaming-column the same retirement step as unused_column's, for a column no recorded statement reads (it runs once pg_stat_statements holds 100 statements of the database: with the audit's own, often, so it is not required)"
)
# Checks whose remediation the planted database must exercise.
required=(
  invalid_index no_primary_key sequence_overflow int_overflow missing_fk fk_type_mismatch cross_tenant_fk
  not_valid_constraint not_null_candidate unique_candidate type_varchar_n type_char_n type_money
  type_timestamp_no_tz type_serial type_int_key unused_column security_definer_search_path public_schema_create collation_version disabled_trigger duplicate_trigger duplicate_fk redundant_predicate unlogged_table array_btree_index
  type_json unused_sequence unique_nulls_distinct
)

db=$(make_db lint)
psql -q -X -d "$db" -f "$src/tests/fixtures/remediation_plant.sql" >/dev/null 2>"$work/plant.err" ||
  fail "the planted database could not be made: $(grep -m1 ERROR "$work/plant.err")"

run_sa audit --config "$src/tests/fixtures/remediation_plant.toml" --db "dbname=$db" --format json --opt-in exact_bloat --output "$work/audit.json"
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
        # a fix that carries another check's steps (one entry per object: evidence under that
        # check's id) is linted with that check's silenced rules too: its directory names both
        merged = sorted(k for k in f["evidence"] if k in ran) if isinstance(f["evidence"], dict) else []
        folder = "+".join([f["check_id"]] + merged)
        os.makedirs(os.path.join(out, folder), exist_ok=True)
        path = os.path.join(out, folder, f"{n}.sql")
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
    [[ "+$check+" == *"+$c+"* ]] && excludes="$excludes,$rule"
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
