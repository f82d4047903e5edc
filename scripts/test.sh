#!/usr/bin/env bash
# The README's test command: installs what is needed, builds, and runs the whole suite. ctest
# starts a throwaway PostgreSQL cluster first (tests/CMakeLists.txt, fixture "pg") and removes it
# at the end, whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh "$@"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
