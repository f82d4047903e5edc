#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, starts a throwaway PostgreSQL,
# loads the sample SaaS schema (samples/), audits it four times with a quarter of drift between
# audits (audit --as-of back-dates each snapshot), and writes report.html (plus report.md and
# the terminal output of each audit under demo/). The cluster is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
bin=$PWD/build/src/schema-audit
out=$PWD/demo
mkdir -p "$out"
rm -f "$out"/history.db "$out"/history.db-wal "$out"/history.db-shm

. scripts/lib/throwaway-pg.bash demo
export PGDATABASE=saas

createdb saas
psql -q -X -f samples/saas_schema.sql >/dev/null

quarters=(2026-02-16T09:00:00Z 2026-05-18T09:00:00Z 2026-08-17T09:00:00Z 2026-11-16T09:00:00Z)
for i in "${!quarters[@]}"; do
  q=$((i + 1))
  if [ -f "samples/drift/q$q.sql" ]; then
    psql -q -X -f "samples/drift/q$q.sql" >/dev/null 2>&1
  fi
  psql -q -X -f samples/workload.sql >/dev/null
  status=0
  "$bin" audit --history "$out/history.db" --name saas --as-of "${quarters[$i]}" --no-progress \
    --output "$out/audit-q$q.txt" || status=$?
  [ "$status" = 0 ] || { echo "demo: audit of quarter $q failed (exit $status)" >&2; exit "$status"; }
  echo "demo: quarter $q audited (${quarters[$i]}): $(tail -n 1 "$out/audit-q$q.txt")" >&2
done

"$bin" history --history "$out/history.db" >&2
"$bin" report --history "$out/history.db" --format html --output report.html
"$bin" report --history "$out/history.db" --format markdown --output "$out/report.md"
echo "demo: wrote $PWD/report.html (and $out/report.md); the history is $out/history.db" >&2
