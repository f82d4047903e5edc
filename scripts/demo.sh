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
. scripts/lib/demo-history.bash
demo_history "$bin" "$out/history.db" "$out"

"$bin" history --history "$out/history.db" >&2
"$bin" report --history "$out/history.db" --format html --output report.html
"$bin" report --history "$out/history.db" --format markdown --output "$out/report.md"
echo "demo: wrote $PWD/report.html (and $out/report.md); the history is $out/history.db" >&2
