#!/usr/bin/env bash
# A history written by a newer schema-audit (PRAGMA user_version above what this build knows):
# exit 4 with "upgrade schema-audit", and the file is not touched.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hnewer)
run_sa audit --history "$work/h.db"
expect_rc 0
sqlite3 "$work/h.db" "pragma user_version = 999"
before=$(sha "$work/h.db")
for cmd in "audit --history $work/h.db" "report --history $work/h.db" "history --history $work/h.db"; do
  run_sa $cmd
  expect_rc 4
  expect_one_line_err
  expect_err "was written by a newer schema-audit (history schema 999"
  expect_err "upgrade schema-audit"
  expect_untouched "$work/h.db" "$before"
done
echo "ok"
