#!/usr/bin/env bash
# Builds the Debian package schema-audit_<version>_<arch>.deb with CPack (packaging/debian.cmake)
# and checks it with lintian (errors fail).
#   scripts/package.sh                     Release build in build/release, package in build/
#   scripts/package.sh --build-dir DIR     package an already built tree instead (the test suite
#                                          packages the binary it tests)
#   --out DIR                              where the .deb goes (default: build/)
# Prints the path of the .deb on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=""
out_dir=build
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out_dir=$2; shift 2 ;;
    *) echo "usage: $0 [--build-dir DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done

if [ -z "$build_dir" ]; then
  build_dir=build/release
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DSCHEMA_AUDIT_TESTS=OFF >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" >&2
fi
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
cpack --config "$build_dir/CPackConfig.cmake" -B "$out_dir/_cpack" >&2
deb=$(ls "$out_dir"/_cpack/schema-audit_*.deb)
mv "$deb" "$out_dir/"
rm -rf "$out_dir/_cpack"
deb="$out_dir/$(basename "$deb")"

if command -v lintian >/dev/null 2>&1; then
  # Errors fail the build; warnings and notes are shown.
  lintian --fail-on error "$deb" >&2
else
  echo "package: lintian is not installed (scripts/install-deps.sh installs it); not checked" >&2
fi
echo "$deb"
