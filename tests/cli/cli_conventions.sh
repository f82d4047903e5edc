#!/usr/bin/env bash
# The command line follows PostgreSQL tools' conventions: global options after the command (psql
# takes options anywhere), -q for scheduled jobs, --format on every listing, a suggestion for a
# typo, and "schema-audit X.Y.Z" from --version.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db conventions)
psql -q -X -d "$db" -c "create table t(id int primary key, note text); create index t_dup1 on t(note); create index t_dup2 on t(note)"

# -v after the command: the same diagnostics as before it.
run_sa audit --db "dbname=$db" --check duplicate_index -v
expect_rc 0
expect_err "connected to database \"$db\""
[[ $out == *"duplicate_index"* ]] || fail "audit -v printed no finding: $out"
run_sa -v audit --db "dbname=$db" --check duplicate_index
expect_rc 0
expect_err "connected to database \"$db\""
# once, although a whole audit opens a session per job and per page of an input
run_sa -v audit --db "dbname=$db" --jobs 2
expect_rc 0
[ "$(grep -c 'connected to database' <<<"$err")" = 1 ] || fail "audit -v said it connected more than once: $err"

# -q: nothing on stdout or stderr, the exit code carries the outcome; the snapshot is stored and
# an --output file is still written.
run_sa audit -q --db "dbname=$db" --check duplicate_index --fail-on low --history "$work/h.db"
expect_rc 1
[ -z "$out" ] || fail "audit -q printed on stdout: $out"
[ -z "$err" ] || fail "audit -q printed on stderr: $err"
run_sa history --history "$work/h.db" --format json
expect_rc 0
[ "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$out")" = 1 ] || fail "audit -q stored no snapshot: $out"
run_sa -q audit --db "dbname=$db" --check duplicate_index --format json --output "$work/out.json"
expect_rc 0
[ -z "$out$err" ] || fail "audit -q --output printed: $out$err"
grep -q '"duplicate_index"' "$work/out.json" || fail "audit -q did not write --output"
# Without -q, stderr confirms where the snapshot went.
run_sa audit --db "dbname=$db" --check duplicate_index --history "$work/h.db" --format json
expect_rc 0
expect_err "schema-audit: snapshot #2 of \"$db\" stored in $work/h.db"
# Errors still show under -q.
run_sa audit -q --db "dbname=no_such_db_$$"
[ "$rc" != 0 ] || fail "an audit of a missing database exited 0 under -q"
expect_err "schema-audit: error: "
run_sa -q -v checks
expect_rc 2
expect_err "--verbose excludes --quiet"

# --format json and markdown on the listings, and --json as the older spelling of json.
for command in "history --history $work/h.db" "checks"; do
  run_sa $command --format markdown
  expect_rc 0
  [[ ${out:0:2} == "| " ]] || fail "$command --format markdown printed no table: $out"
  [[ $(sed -n 2p <<<"$out") == "| --"* || $(sed -n 2p <<<"$out") == "| ---:"* ]] || fail "$command --format markdown: no header rule: $out"
  run_sa $command --format json
  expect_rc 0
  formatted=$out
  python3 -c 'import json,sys; json.loads(sys.argv[1])' "$formatted" || fail "$command --format json is not JSON"
  run_sa $command --json
  [ "$out" = "$formatted" ] || fail "$command: --json and --format json differ"
  run_sa $command --format text
  expect_rc 0
  [ "${out:0:1}" != "[" ] || fail "$command --format text printed JSON"
done

# Typos get a suggestion, in one line, exit 2.
run_sa audti --db "dbname=$db"
expect_rc 2
expect_one_line_err
expect_err 'unknown command "audti"; did you mean "audit"?'
run_sa audit --histroy "$work/h.db"
expect_rc 2
expect_one_line_err
expect_err "did you mean --history?; see schema-audit audit --help"

# psql's connection options: -d takes a bare database name too, -h/-p/-U add to it; with the PG*
# variables unset, these alone reach the test cluster. Help is on --help and -?, as in psql.
rc=0
env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE "$bin" audit -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$db" \
  --check duplicate_index --format json >"$work/psql-style.json" 2>"$work/err" </dev/null || rc=$?
[ "$rc" = 0 ] || fail "audit -h -p -U -d: exit $rc: $(cat "$work/err")"
python3 - "$work/psql-style.json" "$db" <<'PY' || fail "audit -h -p -U -d audited another database"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["target"]["dbname"] == sys.argv[2] and any(f["check_id"] == "duplicate_index" for f in doc["findings"]), doc["target"]
PY
run_sa audit -d "postgresql://localhost/$db" -p 1
expect_rc 2
expect_one_line_err
expect_err "not with a postgresql:// URL: put them in the URL"
run_sa audit -?
expect_rc 0
expect_out "-h,--host"

# Text output: the totals again at the end (a long list scrolls them away); severities in colour
# with --color always, or on a terminal unless NO_COLOR is set; never into a pipe by default.
run_sa audit --db "dbname=$db" --check duplicate_index
expect_rc 0
last=$(tail -n 1 <<<"$out")
[[ $last == "In all: 1 finding(s) in 1 entry: 1 "* ]] || fail "the text output does not end with the totals: $last"
[[ $out != *$'\033['* ]] || fail "colour escapes in a pipe: $out"
run_sa audit --db "dbname=$db" --check duplicate_index --color always
[[ $out == *$'\033['*"LOW"*$'\033[0m'* || $out == *$'\033['*"MEDIUM"*$'\033[0m'* ]] || fail "--color always: no colour: $out"
if command -v script >/dev/null; then
  # a real terminal (script allocates one): colour by default, none with NO_COLOR
  script -qec "\"$bin\" audit --db dbname=$db --check duplicate_index" /dev/null >"$work/tty.out" </dev/null || true
  grep -q $'\033\\[[0-9;]*m[A-Z]' "$work/tty.out" || fail "no colour on a terminal: $(cat "$work/tty.out")"
  NO_COLOR=1 script -qec "\"$bin\" audit --db dbname=$db --check duplicate_index" /dev/null >"$work/tty.out" </dev/null || true
  ! grep -q $'\033\\[[0-9;]*m[A-Z]' "$work/tty.out" || fail "colour on a terminal despite NO_COLOR: $(cat "$work/tty.out")"
fi

# --json is an alias on audit and diff too.
run_sa audit --db "dbname=$db" --check duplicate_index --json
expect_rc 0
python3 -c 'import json,sys; json.loads(sys.argv[1])["findings"]' "$out" || fail "audit --json is not the JSON output"
run_sa diff --history "$work/h.db" --json
expect_rc 0
python3 -c 'import json,sys; json.loads(sys.argv[1])["counts"]["new"]' "$out" || fail "diff --json is not the JSON output"

# The usage line names the program, not the path it was run by.
run_sa audit --help
expect_rc 0
usage=$(grep -m1 -i "usage" <<<"$out")
[[ $usage == *"schema-audit audit"* ]] || fail "audit --help usage line: $usage"
[[ $usage != *"$bin"* && $usage != */* ]] || fail "audit --help shows the binary's path: $usage"

# --version names the program.
run_sa --version
expect_rc 0
[[ $out =~ ^schema-audit\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed: $out"
echo "ok"
