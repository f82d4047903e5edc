#!/usr/bin/env bash
# Fails when a test name holds ";" or a double quote: ctest passes each name to the binary as its
# filter, and such a name filters out its own test, which then "passes" without running.
#   tests/tools/check_test_names.sh TEST_BINARY
set -euo pipefail
bad=$("$1" --list-test-names-only | grep -n '[;"]' || true)
if [ -n "$bad" ]; then
  echo "test names that cannot be filtered (no ';' or '\"' in a name):" >&2
  echo "$bad" >&2
  exit 1
fi
