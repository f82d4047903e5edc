#!/usr/bin/env bash
# Fuzzes the code that reads untrusted text with libFuzzer (clang), each target for a bounded
# time, under AddressSanitizer and UndefinedBehaviorSanitizer:
#   fuzz_config        audit::parse_config: the TOML config (--config, ./schema-audit.toml)
#   fuzz_check_header  audit::parse_check: query files of --queries (metadata header + SQL)
#   fuzz_history       store::open_history_file: any file given as --history, opened, listed, loaded
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 seconds, all targets)
#
# Not part of the test suite (scripts/test.sh): it takes minutes and needs clang. The sources
# under test (src/audit/config.cpp, check.cpp, severity.cpp, src/store/history_engine.cpp,
# sqlite_backend.cpp, migrations.cpp, src/util/text.cpp) are compiled with clang and coverage
# instrumentation into build-fuzz/; the rest comes from the core library of a normal build
# ($BUILD_DIR, default build; built first when missing). libFuzzer ships with Debian's clang-14 (libclang-rt-14-dev, a dependency
# of clang-14); when clang++ is missing this installs "clang" with apt-get. Seeds:
# fuzz/corpus/config, queries/*.sql and the history fixtures in tests/fixtures. The corpus
# grows in build-fuzz/corpus/<target>; crashes are written to build-fuzz/crashes/<target>/.
# Add each crash as a case in tests/unit/test_fuzz_regressions.cpp, fix it, and run this
# again. Exit status 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_config fuzz_check_header fuzz_history)

if ! command -v clang++ >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "fuzz: installing clang (for libFuzzer)" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang >/dev/null
fi
core=${BUILD_DIR:-build}/src/libschema_audit_core.a
[ -f "$core" ] || scripts/build.sh

out=build-fuzz
mkdir -p "$out/obj"
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
       -fno-sanitize-recover=undefined -Isrc -isystem /usr/include/postgresql
       -DFMT_SHARED -DTOML_HEADER_ONLY=0 -DTOML_SHARED_LIB=1 -DSCHEMA_AUDIT_VERSION=\"fuzz\")
objects=()
for source in src/audit/config.cpp src/model/check.cpp src/model/severity.cpp src/store/history_engine.cpp \
              src/store/sqlite_backend.cpp src/store/migrations.cpp src/util/text.cpp; do
  object="$out/obj/$(echo "${source#src/}" | tr / _).o"
  if [ ! -f "$object" ] || [ "$source" -nt "$object" ]; then
    clang++ "${flags[@]}" -c "$source" -o "$object"
  fi
  objects+=("$object")
done
# The libraries the core needs, as the normal build links them into schema-audit.
libs=$(tr ' ' '\n' <"$(dirname "$core")/CMakeFiles/schema-audit.dir/link.txt" | grep -E '^(-l|/).*\.(so|a)|^-l' \
       | grep -v libschema_audit_core || true)
for target in "${targets[@]}"; do
  # The instrumented objects come first, so the core library only supplies what they lack.
  clang++ "${flags[@]}" -fsanitize=fuzzer "fuzz/$target.cpp" "${objects[@]}" "$core" $libs -lpthread \
    -o "$out/$target"
done

seed() {
  local target=$1 dir=$2
  mkdir -p "$dir"
  case "$target" in
  fuzz_config) cp fuzz/corpus/config/* "$dir"/ ;;
  fuzz_check_header) cp queries/*.sql "$dir"/ ;;
  fuzz_history) cp tests/fixtures/history_v*.sqlite "$dir"/ ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
crashed=()
for target in "${targets[@]}"; do
  corpus="$out/corpus/$target"
  crashes="$out/crashes/$target"
  seed "$target" "$corpus"
  mkdir -p "$crashes"
  echo "fuzz: $target for ${seconds}s" >&2
  if ! "$out/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" 2>"$out/$target.log"; then
    crashed+=("$target")
    echo "fuzz: $target CRASHED; see $out/$target.log and $crashes/" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$out/$target.log" | sed "s/^/fuzz: $target: /" >&2 || true
done
if [ ${#crashed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${crashed[*]}" >&2
  exit 1
fi
echo "fuzz: no crashes" >&2
