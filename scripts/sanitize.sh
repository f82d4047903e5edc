#!/usr/bin/env bash
# Builds with AddressSanitizer and UndefinedBehaviorSanitizer (-DSCHEMA_AUDIT_SANITIZE=ON) into
# build-asan and runs the whole test suite with it: any memory error, leak or undefined
# behaviour aborts the test that hit it. Extra arguments go to ctest (e.g. -R hardening).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=build-asan scripts/build.sh -DSCHEMA_AUDIT_SANITIZE=ON
# halt_on_error/abort_on_error: a finding fails the test. LeakSanitizer is on (the default).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Leaks inside third-party libraries, each listed with its reason.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" "$@"
