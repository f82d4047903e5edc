# Sourced after common.bash by the hardening scripts (history faults, bad input, passwords).

# plant_db PREFIX: a fresh database with one finding (an invalid unique index) and a control
# index that is fine; prints its name.
plant_db() {
  local db
  db=$(make_db "$1")
  psql -q -X -d "$db" >/dev/null <<'SQL'
create table t(id int, code text);
insert into t select g % 10, 'c' || g from generate_series(1, 100) g;
create index t_code_idx on t(code);
SQL
  psql -q -X -d "$db" -c "create unique index concurrently t_id_key on t(id)" >/dev/null 2>&1 || true
  echo "$db"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# expect_untouched FILE SHA256: FILE still has the checksum taken before.
expect_untouched() { [ "$(sha "$1")" = "$2" ] || fail "$1 was modified by a failed command"; }

# expect_no_password TEXT...: none of the texts (or files, with -f) contains $password.
expect_no_password_in_files() {
  local f
  for f in "$@"; do
    [ -e "$f" ] || continue
    if grep -aqF -- "$password" "$f"; then fail "the password appears in $f"; fi
  done
}

# hold_history FILE SQL: another process opens the SQLite history FILE, runs SQL (statements
# separated by ";", e.g. "begin exclusive; insert ...": a real lock) and keeps the connection
# open until killed. Returns once SQL has run; sets $holder (killed on exit).
hold_history() {
  local ready="$work/held.$RANDOM"
  python3 - "$1" "$2" "$ready" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for statement in sys.argv[2].split(";"):
    if statement.strip():
        db.execute(statement).fetchall()
open(sys.argv[3], "w").close()
time.sleep(600)
PY
  holder=$!
  trap 'kill $holder 2>/dev/null || true; cleanup' EXIT
  for _ in $(seq 1 100); do
    [ -e "$ready" ] && return
    sleep 0.1
  done
  fail "the process holding $1 did not start"
}

# release_history: ends the process hold_history started.
release_history() {
  kill "$holder"
  wait "$holder" 2>/dev/null || true
}

# sleep_check DIR: creates DIR with zz_sleep.sql, a check whose statement takes 60 seconds (for
# --queries DIR), to find the audit's backend busy in pg_stat_activity.
sleep_check() {
  mkdir -p "$1"
  cat >"$1/zz_sleep.sql" <<'SQL'
-- id: zz_sleep
-- category: test_sleep
-- title: Takes 60 seconds
--
select 'slow' as object, 'table' as object_type, 'slept' as message from pg_catalog.pg_sleep(60)
SQL
}
