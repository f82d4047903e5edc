#!/usr/bin/env bash
# Every Catch test runs under ctest: catch_discover_tests registers each test by its name, and a
# name that ctest or Catch's test spec cannot carry through is registered yet matches nothing, so
# it "passes" without running. Refused here: ';' (a CMake list separator: the name is cut there),
# '[' and '*' (tag and wildcard syntax), a leading '~' (negation) and '\' or '"'.
. "$(dirname "$0")/lib/common.bash"

tests_bin=$(dirname "$bin")/../tests/schema_audit_tests
[ -x "$tests_bin" ] || fail "no test binary at $tests_bin"
# Catch2 v2 exits with the number of tests listed, not 0: the count below checks the listing.
names=$("$tests_bin" --list-test-names-only || true)
[ "$(grep -c . <<<"$names")" -gt 100 ] || fail "the test binary lists too few tests: $names"
bad=$(grep -nE '[;[*\\"]|^~' <<<"$names" || true)
[ -z "$bad" ] || fail "test names that ctest would register but never run (rename them): $bad"
echo "ok"
