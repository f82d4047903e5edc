#!/usr/bin/env bash
# Times `schema-audit report` over a large history: SNAPSHOTS snapshots (default 40) of
# FINDINGS findings each (default 10000), written through the real store code by
# schema-audit-bench-history (scripts/bench/write_report_history.cpp, built with the tests).
# Prints the best of RUNS runs per format.
#
# usage: BUILD_DIR=build scripts/bench-report.sh [SNAPSHOTS] [FINDINGS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
snapshots=${1:-40}
findings=${2:-10000}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
history="$work/history.db"

cmake --build "$build" --target schema-audit schema-audit-bench-history >/dev/null
"$build/tests/schema-audit-bench-history" "$history" "$snapshots" "$findings"
echo "history: $snapshots snapshots x $((findings + 8)) findings, $(du -h "$history" | cut -f1)"

for format in html markdown json; do
  best=
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$build/src/schema-audit" report --history "$history" --db-name prod --format "$format" -o "$work/report.$format"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
  done
  echo "report --format $format: best of $runs: ${best} ms ($(du -h "$work/report.$format" | cut -f1))"
done
"$build/src/schema-audit" -v report --history "$history" --db-name prod -o "$work/report.html" 2>&1 | grep 'report:' || true
