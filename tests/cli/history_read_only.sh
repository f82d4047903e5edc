#!/usr/bin/env bash
# A history file this user cannot write: audit stops with exit 4 before it runs a query, and the
# file is untouched; report and history, which only read, still work. Tests run as root, which
# ignores permission bits, so the file is made immutable (chattr +i); where that is not
# supported, the binary runs as the unprivileged user "nobody" on a file owned by root.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hreadonly)
run_sa audit --history "$work/h.db"
expect_rc 0
before=$(sha "$work/h.db")

as_user=()
if chattr +i "$work/h.db" 2>/dev/null; then
  trap 'chattr -i "$work/h.db" 2>/dev/null || true; cleanup' EXIT
else
  chmod 755 "$work"
  chmod 644 "$work/h.db"
  as_user=(runuser -u nobody --)
fi
run_ro() {
  rc=0
  "${as_user[@]}" "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}

# The server must not even be contacted: point the audit at a port nothing listens on, so a
# late failure would be a connection error (3), not the history error (4).
run_ro audit --history "$work/h.db" --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
expect_rc 4
expect_one_line_err
expect_err "history file $work/h.db is read-only"
expect_untouched "$work/h.db" "$before"

run_ro history --history "$work/h.db" --json
expect_rc 0
[ "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$out")" = 1 ] \
  || fail "expected one snapshot listed from the read-only file: $out"

run_ro report --history "$work/h.db" --format json
expect_rc 0
expect_out "t_id_key"
expect_untouched "$work/h.db" "$before"
echo "ok"
