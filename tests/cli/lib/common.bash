# Sourced by tests/cli/*.sh. Arguments of every script: BINARY PG_ENV_FILE SOURCE_DIR.
# Gives: $bin, $src, the test cluster's PG* variables, a scratch dir $work (removed on exit),
# and small assertion helpers that print what failed and exit 1.
set -euo pipefail
bin=$1
pg_env=$2
src=$3
set -a
. "$pg_env"
set +a
work=$(mktemp -d /tmp/sa-cli.XXXXXX)
cleanup_dbs=()
cleanup() {
  for db in "${cleanup_dbs[@]}"; do dropdb --if-exists --force "$db" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# make_db NAME: a fresh database on the test cluster, dropped on exit.
make_db() {
  local name="$1_$$_$RANDOM"
  createdb "$name"
  cleanup_dbs+=("$name")
  echo "$name"
}

# run_sa ARGS...: runs the binary; sets $rc, $out (stdout) and $err (stderr).
run_sa() {
  rc=0
  "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}

expect_rc() { [ "$rc" = "$1" ] || fail "expected exit $1, got $rc; stderr: $err"; }
expect_err() { grep -qF -- "$1" <<<"$err" || fail "stderr lacks '$1': $err"; }
expect_out() { grep -qF -- "$1" <<<"$out" || fail "stdout lacks '$1': $out"; }
expect_one_line_err() {
  [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] || fail "expected one line on stderr, got: $err"
}
