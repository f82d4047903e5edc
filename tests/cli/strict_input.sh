#!/usr/bin/env bash
# Input that used to be accepted is refused before the audit, with a usage error: an unknown
# --opt-in mode, an impossible --as-of date. Valid ones still work (controls). Names with control
# characters (a newline, an escape sequence) given with --name stay on one line, escaped, in the
# history text view and in the fleet's text output.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db strict)
unreachable="host=127.0.0.1 port=1 dbname=x connect_timeout=2"

run_sa audit --db "$unreachable" --opt-in nosuch
expect_rc 2
expect_one_line_err
expect_err "schema-audit: error: --opt-in nosuch: no such mode; the modes are exact_bloat, hypopg"
run_sa audit --check invalid_index --opt-in exact_bloat --opt-in hypopg
expect_rc 0

run_sa audit --db "$unreachable" --as-of 2026-02-31 --history "$work/h.db"
expect_rc 2
expect_one_line_err
expect_err "--as-of 2026-02-31: expected a time such as"
[ ! -e "$work/h.db" ] || [ "$(sqlite3 "$work/h.db" 'select count(*) from snapshots')" = 0 ] \
  || fail "an impossible date was stored"
run_sa audit --check invalid_index --as-of 2028-02-29 --history "$work/h.db"
expect_rc 0
run_sa history --history "$work/h.db" --json
expect_out '"taken_at": "2028-02-29T00:00:00Z"'

# A config whose params have the types their checks declare is accepted (the wrong types are
# in config_errors.sh).
cat >"$work/ok.toml" <<'TOML'
[checks.int_overflow]
high_pct = 80.5
[checks.unused_index]
min_size_bytes = 0
TOML
run_sa audit --config "$work/ok.toml" --check int_overflow --check invalid_index
expect_rc 0
expect_out "t_id_key"

name=$'evil\nname\e[31m'
run_sa audit --check invalid_index --name "$name" --history "$work/h.db"
expect_rc 0
run_sa history --history "$work/h.db"
expect_rc 0
expect_out 'evil\x0aname\x1b[31m'
[ "$(grep -c . <<<"$out")" = 3 ] || fail "expected a header and two snapshot lines: $out"
grep -q $'\e' <<<"$out" && fail "a raw escape character reached the history view"

cat >"$work/fleet.toml" <<TOML
[[targets]]
name = "bad\\nname"
db = "dbname=$PGDATABASE"
TOML
run_sa audit --config "$work/fleet.toml" --check invalid_index
expect_rc 0
expect_out '== bad\x0aname =='
echo ok
