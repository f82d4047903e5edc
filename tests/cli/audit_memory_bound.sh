#!/usr/bin/env bash
# The audit's memory stays bounded per finding and per schema object (#19): a generated database of
# 500 tenant schemas (tests/fixtures/memory/tenants.sql: 11,500 findings, 22,500 objects in the
# schema's catalog) is audited, with the history written and the JSON output, under a memory
# limit the kernel holds it to (ulimit -d, RLIMIT_DATA: the heap, anonymous mappings and thread
# stacks): what the audit of an empty database needs, found here by bisection, plus 3 KB per
# finding and 256 bytes per catalog object (measured by the same bisection: 28 MB over the empty
# database's 36 MB; 56 MB before the findings' words went to a temporary file, 51 MB before the
# catalog did and the checks' findings were parked until the gathering). 2 KB per finding passed
# once the findings' repeated texts were interned and malloc kept two arenas for all threads (the
# build before failed under it), but failed once under the full suite's load: 3 KB stays. A change that
# keeps more per finding or per object makes the audit fail here (out of memory) rather than on a
# customer's 100,000 tables. Its peak RSS is printed beside, from GNU time. Under a limit it cannot
# meet, it exits 9 (out of memory) with nothing stored.
. "$(dirname "$0")/lib/common.bash"
[ -x /usr/bin/time ] || fail "GNU time is missing: scripts/install-deps.sh installs it (package time)"

schemas=500
findings=$((schemas * 23))    # what the fixture plants: checked against the JSON below
objects=$((schemas * 45))     # the catalog's objects: checked against the history below
per_finding_kb=3
per_object_bytes=256
empty=$(make_db mem_empty)
big=$(make_db mem_big)
psql -qX -v ON_ERROR_STOP=1 -d "$big" -c "set sa.schemas = $schemas" -f "$src/tests/fixtures/memory/tenants.sql" \
  >/dev/null 2>"$work/gen.err" || fail "the generated database could not be made: $(head -c 500 "$work/gen.err")"

audit_within() { # DB KB: audits DB (history and JSON written) with RLIMIT_DATA at KB, under GNU time
  rm -f "$work/$1.db"
  (ulimit -d "$2" && exec /usr/bin/time -v "$bin" audit --db "dbname=$1" --format json --output "$work/$1.json" \
    --history "$work/$1.db" --no-progress) >/dev/null 2>"$work/$1.time"
}

# The least limit (to 1 MB) under which the empty database's audit runs.
low=1024 high=262144
audit_within "$empty" "$high" || fail "the empty database's audit failed under $high KB: $(tail -n 5 "$work/$empty.time")"
while [ $((high - low)) -gt 1024 ]; do
  mid=$(((low + high) / 2))
  if audit_within "$empty" "$mid"; then high=$mid; else low=$mid; fi
done
base_kb=$high
budget_kb=$((findings * per_finding_kb + objects * per_object_bytes / 1024))
limit_kb=$((base_kb + budget_kb))
audit_within "$big" "$limit_kb" ||
  fail "the audit of $schemas tenant schemas failed under a memory limit of $limit_kb KB (the empty database's" \
    "$base_kb KB, plus $per_finding_kb KB per finding and $per_object_bytes bytes per catalog object):" \
    "$(grep -v "^\s" "$work/$big.time" | tail -n 3)"
got=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/$big.json")
stored=$(sqlite3 "$work/$big.db" "select coalesce(sum(objects), 0) from catalog_counts")
[ "$got" -ge "$findings" ] || fail "the generated database gave $got findings, fewer than the $findings budgeted for"
[ "$stored" -ge "$objects" ] || fail "the history holds $stored catalog objects, fewer than the $objects budgeted for"
rss_kb=$(sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$work/$big.time")

# The same audit with a PostgreSQL history, twice: the second reads the previous snapshot (its
# metrics, fingerprint ages and states) and the stored catalog back, a page of rows at a time
# (store/postgres_backend.cpp's CursorRows), and writes in statements of about a megabyte. Each
# stays under the limit above and peaks within 15% of the SQLite history's RSS: read whole and
# written 4 MB a statement, the two runs peaked at 46 and 40 MB against SQLite's 32 (33 and 31
# now), and a repeated audit of 10,000 schemas at 788 MB.
pg_history=$(make_db mem_history)
pg_rss_kb=0
for run in first repeated; do
  (ulimit -d "$limit_kb" && exec /usr/bin/time -v "$bin" audit --db "dbname=$big" --format json \
    --output "$work/pg.json" --history "dbname=$pg_history" --no-progress) >/dev/null 2>"$work/pg.time" ||
    fail "the $run audit with a PostgreSQL history failed under $limit_kb KB: $(grep -v "^\s" "$work/pg.time" | tail -n 3)"
  run_rss=$(sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$work/pg.time")
  [ "$run_rss" -le $((rss_kb * 115 / 100)) ] ||
    fail "the $run audit with a PostgreSQL history peaked at $run_rss KB, over 115% of the SQLite history's $rss_kb KB"
  pg_rss_kb=$((run_rss > pg_rss_kb ? run_rss : pg_rss_kb))
done
[ "$(psql -qXAt -d "$pg_history" -c "select count(*) from schema_audit.snapshots")" = 2 ] ||
  fail "the PostgreSQL history does not hold the two snapshots"
# Under a limit it cannot meet the audit fails as documented: exit 9, one line that says what to
# do, and no snapshot, whole or half.
if audit_within "$big" "$((base_kb + 4096))"; then
  fail "the audit of $schemas tenant schemas ran within $((base_kb + 4096)) KB: the limit is not applied"
else
  rc=$?
fi
[ "$rc" = 9 ] || fail "out of memory exited $rc, not 9: $(tail -n 3 "$work/$big.time")"
grep -q '^schema-audit: error: out of memory; ' "$work/$big.time" ||
  fail "out of memory gave no one-line error: $(grep -v '^\s' "$work/$big.time" | tail -n 3)"
[ ! -e "$work/$big.db" ] || [ "$(sqlite3 "$work/$big.db" "select count(*) from snapshots")" = 0 ] ||
  fail "an audit that ran out of memory stored a snapshot"
echo "ran within $limit_kb KB of data (empty database: $base_kb KB; budget $budget_kb KB for $findings findings" \
  "and $objects catalog objects; found $got findings, $stored objects); peak RSS $rss_kb KB, repeated with a" \
  "PostgreSQL history $pg_rss_kb KB"
