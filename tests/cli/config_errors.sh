#!/usr/bin/env bash
# Malformed configs: bad TOML, unknown keys, wrong types, impossible values, a missing file. Each
# gives exit 6 and one line "FILE:LINE: what is wrong", before any connection is made.
. "$(dirname "$0")/lib/common.bash"

# expect_config_error TOML MESSAGE (TOML "-": the file is already written)
expect_config_error() {
  [ "$1" = - ] || printf '%s\n' "$1" >"$work/c.toml"
  # An unreachable server: a config error must be reported before connecting.
  run_sa audit --config "$work/c.toml" --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
  expect_rc 6
  expect_one_line_err
  expect_err "schema-audit: error: $work/c.toml:"
  expect_err "$2"
}

expect_config_error '[audit' "c.toml:1:"
expect_config_error $'[audit]\njobs = 2\njobs = 3' "c.toml:3:"
expect_config_error 'x = "unterminated' "c.toml:1:"
printf '\xff\xfe\x00x = 1\n' >"$work/c.toml"
expect_config_error - "c.toml:1: Encountered invalid utf-8 sequence"
expect_config_error 'colour = "red"' 'unknown key "colour" in the top level'
expect_config_error $'[audit]\njob = 2' 'c.toml:2: unknown key "job" in [audit]'
expect_config_error $'[audit]\njobs = "two"' "c.toml:2: jobs must be a whole number"
expect_config_error $'[audit]\njobs = 0' "jobs must be between 1 and 64"
expect_config_error $'[audit]\njobs = 99999999999999999' "jobs must be between 1 and 64"
expect_config_error $'[audit]\nstatement_timeout_ms = -5' "statement_timeout_ms must be between 1 and"
expect_config_error $'[audit]\ninclude_schemas = "public"' "include_schemas must be an array of strings"
expect_config_error $'[audit]\nexclude_schemas = [1, 2]' "exclude_schemas must be a string"
expect_config_error 'audit = 5' "[audit] must be a table"
expect_config_error $'[deprecation]\ngrace_days = 100000' "grace_days must be between 0 and 3650"
expect_config_error $'[checks.invalid_index]\nenabled = "yes"' "enabled must be true or false"
expect_config_error $'[checks.invalid_index]\nseverity = "urgent"' "severity must be info, low, medium, high or critical"
expect_config_error $'[checks.invalid_index]\nmin_size_bytes = -1' "min_size_bytes must not be negative"
expect_config_error $'[checks]\ninvalid_index = 3' "[checks.invalid_index] must be a table"
expect_config_error $'[[suppress]]\nobject = "public.*"' "[[suppress]] needs a reason"
expect_config_error $'[[suppress]]\nreason = "legacy"' "[[suppress]] needs a fingerprint or an object pattern"
expect_config_error $'[[suppress]]\nobject = "x"\nreason = "r"\nexpires = "soon"' "expires must be a date"
expect_config_error $'[[suppress]]\nobject = "x"\nreason = "r"\nwhy = "r"' 'unknown key "why" in [[suppress]]'
expect_config_error 'suppress = "all"' "suppress must be an array of [[suppress]] tables"
# A param of a type its check's SQL does not declare ($1::bigint, $2::numeric, $3::text[]):
# refused before connecting rather than skipping the check at run time.
expect_config_error $'[checks.unused_index]\nmin_size_bytes = "0; drop table t"' \
  'c.toml:2: [checks.unused_index] min_size_bytes must be a whole number (default 8388608), not a string'
expect_config_error $'[checks.unused_index]\nmin_size_bytes = 1e308' \
  "min_size_bytes must be a whole number (default 8388608), not a number"
expect_config_error $'[checks.unused_table]\nmin_window_days = 3000000000' \
  "min_window_days must be a whole number up to 2147483647 (default 7), not 3000000000"
expect_config_error $'[checks.int_overflow]\nhigh_pct = "75"' "high_pct must be a number (default 75), not a string"
expect_config_error $'[checks.unused_table]\ndeprecation_patterns = "old_*"' \
  "deprecation_patterns must be an array of strings"
expect_config_error $'[checks.missing_index]\nmin_rows = true' "min_rows must be a whole number (default 10000), not true or false"
expect_config_error $'[[targets]]\nname = "a"' "[[targets]] needs a name and a db"

# Well-formed, but naming a check or a param that does not exist: a typo must not silently
# leave the check as it was.
printf '[checks.no_such_check]\nenabled = false\n' >"$work/c.toml"
run_sa audit --config "$work/c.toml" --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
expect_rc 6
expect_one_line_err
expect_err "[checks.no_such_check]: no such check"
printf '[checks.invalid_index]\nmin_size_byte = 5\n' >"$work/c.toml"
run_sa audit --config "$work/c.toml" --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
expect_rc 6
expect_one_line_err
expect_err "[checks.invalid_index] min_size_byte: no such param"

run_sa audit --config "$work/missing.toml"
expect_rc 6
expect_one_line_err
expect_err "cannot read config file $work/missing.toml"

run_sa audit --config "$work" --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
expect_rc 6
expect_one_line_err
expect_err "cannot read config file $work"
echo "ok"
