#!/usr/bin/env bash
# The audit's memory stays bounded per finding and per schema object (#19): a generated database of
# 500 tenant schemas (tests/fixtures/memory/tenants.sql: 12,000 findings, 22,500 objects in the
# schema's catalog) is audited with the history written and the JSON output, under GNU time;
# its peak RSS above the audit of an empty database must stay under 6 KB per finding plus 1 KB
# per catalog object (the catalog a history keeps, #18: about 4.8 KB and 0.7 KB today), so a
# change that keeps more per finding or per object fails here rather than on a customer's
# 100,000 tables.
. "$(dirname "$0")/lib/common.bash"
[ -x /usr/bin/time ] || fail "GNU time is missing: scripts/install-deps.sh installs it (package time)"

schemas=500
per_finding_kb=6
per_object_bytes=1024
empty=$(make_db mem_empty)
big=$(make_db mem_big)
psql -qX -v ON_ERROR_STOP=1 -d "$big" -c "set sa.schemas = $schemas" -f "$src/tests/fixtures/memory/tenants.sql" \
  >/dev/null 2>"$work/gen.err" || fail "the generated database could not be made: $(head -c 500 "$work/gen.err")"

peak_kb() { # DB: audits DB (history and JSON written) under GNU time; prints "peak_kb findings objects"
  /usr/bin/time -v "$bin" audit --db "dbname=$1" --format json --output "$work/$1.json" --history "$work/$1.db" \
    --no-progress >/dev/null 2>"$work/$1.time" || fail "audit of $1 failed: $(tail -n 5 "$work/$1.time")"
  local kb findings
  kb=$(sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$work/$1.time")
  findings=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/$1.json")
  objects=$(sqlite3 "$work/$1.db" "select coalesce(sum(objects), 0) from catalog_counts")
  echo "$kb $findings $objects"
}
read -r base_kb none _ < <(peak_kb "$empty")
read -r big_kb findings objects < <(peak_kb "$big")
[ "$none" = 0 ] || fail "the empty database has $none findings"
[ "$findings" -ge $((schemas * 20)) ] || fail "the generated database gave only $findings findings"
[ "$objects" -ge $((schemas * 40)) ] || fail "the history holds only $objects catalog objects"
grown=$((big_kb - base_kb))
budget=$((findings * per_finding_kb + objects * per_object_bytes / 1024))
echo "peak RSS: $base_kb KB empty, $big_kb KB with $findings findings and $objects catalog objects" \
  "(grown $grown KB, budget $budget KB)"
[ "$grown" -le "$budget" ] ||
  fail "the audit of $findings findings and $objects catalog objects grew by $grown KB over an empty database's" \
    "$base_kb KB, more than $per_finding_kb KB per finding and $per_object_bytes bytes per object ($budget KB)"
