#!/usr/bin/env bash
# Bad command lines: exit 2 and one line on stderr that names the problem, never a crash.
. "$(dirname "$0")/lib/common.bash"

# expect_usage_error MESSAGE ARGS...
expect_usage_error() {
  local message=$1
  shift
  run_sa "$@"
  expect_rc 2
  expect_one_line_err
  expect_err "schema-audit: error: "
  expect_err "$message"
}

expect_usage_error "subcommand" 
expect_usage_error "unknown command \"frobnicate\"; the commands are audit, report, checks, history, diff, changelog" frobnicate
expect_usage_error "--bogus" audit --bogus
expect_usage_error "--format" audit --format xml
expect_usage_error "--jobs" audit --jobs 0
expect_usage_error "--jobs" audit --jobs many
expect_usage_error "--jobs" audit --jobs 99999999999999999999
expect_usage_error "--statement-timeout" audit --statement-timeout -1
expect_usage_error "--lock-timeout" audit --lock-timeout 1.5
expect_usage_error "--fail-on" audit --fail-on severe
expect_usage_error "--history" audit --history
expect_usage_error "--history" report
expect_usage_error "--history" history
expect_usage_error "no such check" checks --explain "'; drop table x; --"
expect_usage_error "--as-of" audit --as-of 2026-13-45
expect_usage_error "cannot parse --db" audit --db "host='unterminated"

# An output file in a folder that does not exist: a clear error, and nothing half-written.
export PGDATABASE=postgres
run_sa audit --check invalid_index --output "$work/no/such/dir/out.txt"
expect_rc 2
expect_one_line_err
expect_err "cannot write $work/no/such/dir/out.txt"
echo "ok"
