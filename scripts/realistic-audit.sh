#!/usr/bin/env bash
# Audits a realistic, large schema built for the purpose (samples/realistic/: ~280 tables in 13
# schemas of a B2B SaaS, ~2.5 million rows, mostly healthy with a handful of planted problems) on a
# throwaway PostgreSQL, and prints its size, the load and audit times and the findings per
# category and severity, with the entries they make (findings sharing a group). Used to find
# and tune false positives; see samples/realistic/data.sql
# for the planted problems.
#   scripts/realistic-audit.sh            uses $BUILD_DIR/src/schema-audit (default build/; built
#                                         with scripts/build.sh if missing), or $SCHEMA_AUDIT_BIN
# Two audits share a history in $OUT_DIR (default out/realistic): a baseline backdated by 35 days,
# then, after more application traffic, the audit that is reported (so history-based checks
# run). Its JSON is $OUT_DIR/audit.json, its text report $OUT_DIR/audit.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
bin=${SCHEMA_AUDIT_BIN:-$PWD/$build/src/schema-audit}
out=${OUT_DIR:-$PWD/out/realistic}
[ -x "$bin" ] || BUILD_DIR=$build scripts/build.sh
command -v python3 >/dev/null 2>&1 || { echo "realistic-audit: python3 is needed to count the findings" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/history.db "$out"/history.db-wal "$out"/history.db-shm

. scripts/lib/throwaway-pg.bash realistic
export PGDATABASE=realistic
createdb realistic
psql -q -X -c 'create extension if not exists pg_stat_statements' >/dev/null

seconds() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

t0=$(seconds)
psql -q -X -f samples/realistic/schema.sql >/dev/null
# the planted failed CONCURRENTLY build reports its duplicate key error on stderr: expected
psql -q -X -f samples/realistic/data.sql >/dev/null 2>"$out/load.err" || { cat "$out/load.err" >&2; exit 1; }
t1=$(seconds)
echo "realistic-audit: loaded in $(elapsed "$t0" "$t1") s" >&2

psql -X -A -t -F ' ' <<'SQL'
select 'tables:', count(*) filter (where c.relkind in ('r', 'p') and not c.relispartition),
       'partitions:', count(*) filter (where c.relispartition and c.relkind = 'r'),
       'indexes:', count(*) filter (where c.relkind = 'i'),
       'rows:', sum(greatest(c.reltuples, 0)::bigint) filter (where c.relkind = 'r'),
       'size:', pg_size_pretty(pg_database_size(current_database()))
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast';
select 'schemas:', count(*) from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname !~ '^pg_';
select 'foreign keys:', count(*) from pg_constraint where contype = 'f' and conparentid = 0;
SQL

psql -q -X -f samples/realistic/workload.sql >/dev/null
"$bin" audit --history "$out/history.db" --name realistic --no-progress \
  --as-of "$(date -u -d '35 days ago' +%Y-%m-%dT%H:%M:%SZ)" --format json --output "$out/baseline.json"
psql -q -X -f samples/realistic/workload.sql >/dev/null
# the text report is the same audit's: against a copy of the history as it is now (the baseline only)
cp "$out/history.db" "$out/history-text.db"

t2=$(seconds)
"$bin" audit --history "$out/history.db" --name realistic --no-progress --format json --output "$out/audit.json"
t3=$(seconds)
"$bin" audit --history "$out/history-text.db" --name realistic --no-progress --output "$out/audit.txt" >/dev/null 2>&1 || true
rm -f "$out/history-text.db" "$out/history-text.db-wal" "$out/history-text.db-shm"
echo "realistic-audit: audited in $(elapsed "$t2" "$t3") s; findings in $out/audit.json, report in $out/audit.txt" >&2

python3 - "$out/audit.json" <<'PY'
import collections, json, sys
doc = json.load(open(sys.argv[1]))
findings = doc["findings"] if isinstance(doc, dict) else doc
order = ["critical", "high", "medium", "low", "info"]
per = collections.defaultdict(collections.Counter)
entries = collections.defaultdict(set)  # the entries the outputs show: findings sharing a group
for f in findings:
    per[f["category"]][f["severity"]] += 1
    entries[f["category"]].add(f.get("group") or f["fingerprint"])
print(f"{'category':<24}{'total':>6}{'entries':>9}  " + "  ".join(f"{s:>8}" for s in order))
for cat in sorted(per):
    c = per[cat]
    print(f"{cat:<24}{sum(c.values()):>6}{len(entries[cat]):>9}  " + "  ".join(f"{c.get(s, 0):>8}" for s in order))
print(f"{'all':<24}{len(findings):>6}{sum(len(e) for e in entries.values()):>9}")
PY
