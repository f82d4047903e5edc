#!/usr/bin/env bash
# A damaged history file (pages overwritten, or cut short): audit, report and history stop with
# exit 4 and a one-line message saying the file is damaged, and leave the file as it was.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db hcorrupt)
run_sa audit --history "$work/good.db"
expect_rc 0
page=$(sqlite3 "$work/good.db" "pragma page_size")
size=$(stat -c %s "$work/good.db")
[ "$size" -gt $((page * 2)) ] || fail "expected a history of several pages, got $size bytes"

# Every page but the first (the header and the table list) overwritten with garbage.
cp "$work/good.db" "$work/pages.db"
python3 - "$work/pages.db" "$page" <<'PY'
import sys
path, page = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(page)
    rest = len(f.read())
    f.seek(page)
    f.write(b"\xaa" * rest)
PY
# The file cut in the middle of its second page.
cp "$work/good.db" "$work/short.db"
truncate -s $((page + page / 2)) "$work/short.db"

for file in pages.db short.db; do
  before=$(sha "$work/$file")
  for cmd in "audit --history $work/$file" "report --history $work/$file --format json" \
             "history --history $work/$file"; do
    run_sa $cmd
    expect_rc 4
    expect_one_line_err
    expect_err "schema-audit: error: history file $work/$file"
    expect_err "is not a schema-audit history or is damaged; restore it from a backup"
    expect_untouched "$work/$file" "$before"
  done
done
echo "ok"
