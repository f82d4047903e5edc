#!/usr/bin/env bash
# The scale benchmark (docs/benchmark.md): builds the large multi-tenant database of
# $SHARED/bench/scale.sql on a throwaway cluster (scripts/local-pg.sh), times the catalog floor
# ($SHARED/bench/floor.sql) and the full audit several times, and prints a per-check table and
# the totals against the targets (audit <= 1.5x floor, max RSS < 200 MB, history ~1 KB per
# finding per snapshot).
#
#   scripts/bench.sh [--schemas N] [--runs N] [--jobs N] [--keep] [--env FILE] [--shared DIR]
#                    [--binary PATH] [--queries DIR] [--out DIR]
#
#   --schemas N   tenant schemas to create (default 1000: ~10,000 tables, 22,000 indexes); a list
#                 (--schemas 100,1000,3000,10000) runs each size in turn on one cluster and ends
#                 with the cost curve: floor, audit, ratio, peak RSS and history size per size
#   --runs N      measured runs of the floor and of the audit (default 3), after a warm-up: the
#                 floor once, the audit twice (the second is the first with a previous snapshot)
#   --jobs N      passed to "schema-audit audit --jobs" (default: the binary's default)
#   --keep        leave the cluster running; prints the env file to pass to --env next time
#   --env FILE    reuse a cluster kept with --keep (the database is built only when missing)
#   --shared DIR  where bench/scale.sql and bench/floor.sql live (default $SCHEMA_AUDIT_SHARED,
#                 else ../shared relative to the repository)
#   --binary PATH the schema-audit binary (default $BUILD_DIR/src/schema-audit, built when missing)
#   --queries DIR passed to "schema-audit audit --queries" (e.g. to compare two binaries on the
#                 same query files)
#   --out DIR     keep the raw results (psql output, audit JSON, /usr/bin/time -v) in DIR
#
#   scripts/bench.sh --query-log [--log-mb N] [--runs N] [--binary PATH] [--out DIR]
#
#   --query-log   instead: the query log reader (#17). Generates a stderr log of --log-mb
#                 megabytes (default 1024; scripts/bench/generate_query_log.pl: millions of lines,
#                 multi-line statements, executes with parameters, auto_explain plans), then
#                 times "audit --query-log" of it against an empty database (so the figure is
#                 the reading: statements of tables the database lacks propose nothing) and
#                 prints wall time, CPU time, peak RSS, the reader's own line and the load.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
all_args=("$@")

schemas=1000
runs=3
jobs=""
keep=0
envfile=""
shared=${SCHEMA_AUDIT_SHARED:-$repo/../shared}
binary=""
queries=""
out=""
query_log=0
log_mb=1024

die() { echo "bench: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --schemas) schemas=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    --env) envfile=${2:?}; shift 2 ;;
    --shared) shared=${2:?}; shift 2 ;;
    --binary) binary=${2:?}; shift 2 ;;
    --queries) queries=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --query-log) query_log=1; shift ;;
    --log-mb) log_mb=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1; see --help" ;;
  esac
done
[[ $schemas =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--schemas $schemas: expected a positive number or a list of them"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs $runs: expected a positive number"
[ -z "$jobs" ] || [[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs $jobs: expected a positive number"
[[ $log_mb =~ ^[1-9][0-9]*$ ]] || die "--log-mb $log_mb: expected a positive number"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing; install the Debian package \"time\""
if [ "$query_log" = 0 ]; then
  bench=$shared/bench
  [ -f "$bench/scale.sql" ] && [ -f "$bench/floor.sql" ] \
    || die "no scale.sql/floor.sql in $bench; pass --shared DIR or set SCHEMA_AUDIT_SHARED"
  command -v node >/dev/null || die "node is missing; run scripts/install-deps.sh"
fi

if [ -z "$binary" ]; then
  binary=$repo/${BUILD_DIR:-build}/src/schema-audit
  [ -x "$binary" ] || (cd "$repo" && scripts/build.sh)
fi
[ -x "$binary" ] || die "no schema-audit binary at $binary"

work=${out:-$(mktemp -d /tmp/schema-audit-bench.XXXXXX)}
mkdir -p "$work"
started_cluster=""
cleanup() {
  if [ -n "$started_cluster" ] && [ "$keep" = 0 ]; then
    "$repo/scripts/local-pg.sh" stop "$started_cluster" || true
  fi
  [ -n "$out" ] || rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$envfile" ]; then
  envfile=$(mktemp /tmp/schema-audit-bench-env.XXXXXX)
  started_cluster=$envfile
  # The floor's size functions open every relation in one statement, holding a lock on each
  # (66,000 at 3,000 schemas): more than a default lock table (64 x max_connections) holds. The
  # audit itself runs on the default, which tests/cli/audit_locks_access_share.sh bounds.
  LOCAL_PG_CONF="max_locks_per_transaction = 2048" "$repo/scripts/local-pg.sh" start "$envfile"
fi
[ -f "$envfile" ] || die "--env $envfile: no such file (start a cluster with --keep first)"
set -a
# shellcheck disable=SC1090
. "$envfile"
set +a

if [[ $schemas == *,* ]]; then
  # Each size in its own run of this script on this cluster (later arguments win), then the curve.
  for n in ${schemas//,/ }; do
    "$0" "${all_args[@]}" --schemas "$n" --env "$envfile" --out "$work/s$n" --keep
  done
  {
    echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "command: scripts/bench.sh ${all_args[*]}"
    echo
    printf '%s\n' "| schemas | tables / indexes | floor | audit (run_audit) | ratio | audit process | ratio | findings | peak RSS | history, first snapshot | each repeated audit |" \
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for n in ${schemas//,/ }; do
      node -e '
        const [dir, n] = process.argv.slice(1);
        const s = JSON.parse(require("fs").readFileSync(dir + "/summary.json", "utf8"));
        const about = require("fs").readFileSync(dir + "/about.txt", "utf8");
        const objects = /\((\d+) tables, (\d+) indexes\)/.exec(about);
        const sec = (ms) => (ms / 1000).toFixed(2) + " s";
        console.log(`| ${n} | ${objects[1]} / ${objects[2]} | ${sec(s.floor_ms)} | ${sec(s.wall_ms)} | ${(s.wall_ms / s.floor_ms).toFixed(2)}x | ` +
          `${sec(s.process_ms)} | ${(s.process_ms / s.floor_ms).toFixed(2)}x | ${s.findings} | ${s.peak_rss_mb.toFixed(0)} MB | ` +
          `${s.history_first_bytes_per_finding.toFixed(0)} B/finding | +${s.history_growth_bytes_per_finding.toFixed(0)} B/finding |`);
      ' "$work/s$n" "$n"
    done
  }
  exit 0
fi

if [ "$query_log" = 1 ]; then
  log=$work/bench-query.log
  echo "bench: generating a ${log_mb} MB stderr log..." >&2
  t0=$(date +%s)
  perl "$repo/scripts/bench/generate_query_log.pl" "$log_mb" >"$log"
  echo "bench: generated $(wc -l <"$log") lines, $(du -h "$log" | cut -f1), in $(( $(date +%s) - t0 )) s" >&2
  psql -X -q -d postgres -c "drop database if exists bench_querylog" -c "create database bench_querylog" >/dev/null
  for run in $(seq 1 "$runs"); do
    rc=0
    /usr/bin/time -v -o "$work/time.$run.txt" "$binary" -v audit --db "dbname=bench_querylog" --format json \
      --no-progress --check missing_index_statements --check unused_column_statements --query-log "$log" \
      >"$work/audit.$run.json" 2>"$work/audit.$run.err" || rc=$?
    [ "$rc" = 0 ] || { cat "$work/audit.$run.err" >&2; die "the audit failed with exit code $rc"; }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$run.txt")
    user=$(sed -n 's/.*User time (seconds): //p' "$work/time.$run.txt")
    sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.$run.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$run.txt")
    echo "run $run: wall $wall, user ${user} s, system ${sys} s, peak RSS $(( rss / 1024 )) MB"
    grep -h "query logs:" "$work/audit.$run.err" | sed 's/^/  /'
  done
  echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: $binary -v audit --db dbname=bench_querylog --check missing_index_statements --check unused_column_statements --query-log $log"
  exit 0
fi

db=bench_s$schemas
if [ "$(psql -X -At -d postgres -c "select count(*) from pg_database where datname = '$db'")" = 0 ]; then
  echo "bench: building $db with $schemas schemas (scale.sql)..." >&2
  t0=$(date +%s)
  createdb "$db"
  psql -X -q -v ON_ERROR_STOP=1 -v schemas="$schemas" -d "$db" -f "$bench/scale.sql" >/dev/null
  echo "bench: built in $(( $(date +%s) - t0 )) s" >&2
fi
# scale.sql analyzes; statistics views need one more round of activity to exist at all.
psql -X -q -d "$db" -c "select pg_stat_force_next_flush()" >/dev/null 2>&1 || true

audit_args=(audit --db "dbname=$db" --format json --no-progress --history "$work/history.db")
[ -z "$jobs" ] || audit_args+=(--jobs "$jobs")
[ -z "$queries" ] || audit_args+=(--queries "$queries")

# audit_once OUT ERR [COMMAND...]: one audit (behind COMMAND, such as /usr/bin/time), its output
# in OUT and its messages in ERR; findings (exit 1) are no failure.
audit_once() {
  local out=$1 err=$2 rc=0
  shift 2
  "$@" "$binary" "${audit_args[@]}" >"$out" 2>"$err" || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    cat "$err" >&2
    die "the audit failed with exit code $rc"
  fi
}

# The history's pages by what they hold (SQLite's dbstat: each table with its indexes), as JSON in
# $1: findings (their states, texts, per-snapshot rows and ages), metrics (with the objects they
# name), catalog, other. summarize.js splits a repeated audit's growth by them.
history_parts() {
  python3 - "$work/history.db" >"$1" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
table_of = dict(db.execute("select name, tbl_name from sqlite_schema where type in ('table', 'index')"))
def part(table):
    if table in ("finding_states", "finding_texts", "snapshot_findings", "fingerprint_ages", "finding_totals"):
        return "findings"
    if table in ("metrics", "objects"):
        return "metrics"
    return "catalog" if table.startswith("catalog_") else "other"
parts = {"findings": 0, "metrics": 0, "catalog": 0, "other": 0}
for name, size in db.execute("select name, sum(pgsize) from dbstat group by name"):
    parts[part(table_of.get(name, name))] += size
print(json.dumps(parts))
PY
}

rm -f "$work"/history.db*
for run in $(seq 0 "$runs"); do
  # Run 0 warms the caches and is not counted.
  echo "bench: run $run/$runs: floor" >&2
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$bench/floor.sql" >"$work/floor.$run.txt"
  echo "bench: run $run/$runs: audit" >&2
  audit_once "$work/audit.$run.json" "$work/audit.$run.err" /usr/bin/time -v -o "$work/time.$run.txt"
  cat "$work"/history.db* | wc -c >"$work/history_bytes.$run"
  history_parts "$work/history_parts.$run"
  if [ "$run" = 0 ]; then
    # A second warm-up audit: the usage checks of the first had no previous snapshot to compare
    # with (their findings differ), so each measured run repeats an audit that had one, and the
    # history's growth per measured run is that of a repeated audit.
    audit_once /dev/null "$work/audit.0r.err"
    cat "$work"/history.db* | wc -c >"$work/history_bytes.0r"
    history_parts "$work/history_parts.0r"
  fi
  # What summarize.js reads of the output (at 10,000 schemas it is 600 MB, past node's longest string).
  python3 - "$work/audit.$run.json" >"$work/audit.$run.summary.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({k: d.get(k) for k in ("timings", "input_timings", "skipped", "wall_ms", "query_ms")} |
                 {"findings": len(d["findings"]),
                  "findings_by_check": collections.Counter(f["check_id"] for f in d["findings"])}))
PY
done

{
  echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory; $(psql -X -At -d "$db" -c 'select version()' | cut -d, -f1)"
  echo "load average at the end (other work on the machine skews every figure): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "database: $db ($(psql -X -At -d "$db" -c "select count(*) filter (where relkind in ('r','p')) || ' tables, ' || count(*) filter (where relkind = 'i') || ' indexes' from pg_class"))"
  echo "command: $binary ${audit_args[*]}"
} >"$work/about.txt"
node "$repo/scripts/bench/summarize.js" "$work" "$runs"

if [ "$keep" = 1 ] && [ -n "$started_cluster" ]; then
  echo "bench: cluster kept; reuse it with --env $envfile, stop it with scripts/local-pg.sh stop $envfile" >&2
fi
