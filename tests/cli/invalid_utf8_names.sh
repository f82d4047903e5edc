#!/usr/bin/env bash
# A SQL_ASCII database can hold names that are not UTF-8. Audit, history and report still work:
# JSON output replaces the bad bytes with U+FFFD instead of failing.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db sqlascii_src)
dropdb "$db"
createdb -E SQL_ASCII -T template0 --locale=C "$db"
# A table without a primary key whose name has the byte 0xFF (invalid in UTF-8). Not recorded
# by pg_stat_statements: the cluster is shared, and one such statement text makes
# pg_stat_statements() fail in every UTF-8 database (it converts every entry's text, whatever
# its database), so the statement-based checks of other tests would be skipped.
printf 'create table "bad\xffname"(id int, code text);\ninsert into "bad\xffname" select g, g::text from generate_series(1, 10) g;\n' \
  | PGCLIENTENCODING=SQL_ASCII PGOPTIONS='-c pg_stat_statements.track=none' psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null
export PGDATABASE=$db

run_sa audit --check no_primary_key --format json --history "$work/h.db"
expect_rc 0
python3 - "$work/out" <<'PY' || fail "audit JSON is not valid or lacks the table: $out"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert any(f["object"].endswith('"bad\ufffdname"') for f in doc["findings"]), doc["findings"]
PY

run_sa report --history "$work/h.db" --format json
expect_rc 0
python3 - "$work/out" <<'PY' || fail "report JSON is not valid or lacks the table"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert any(f["object"].endswith('"bad\ufffdname"') for f in doc["databases"][0]["findings"])
PY

run_sa history --history "$work/h.db" --json
expect_rc 0
run_sa report --history "$work/h.db" --output "$work/r.html"
expect_rc 0
echo ok
