#!/usr/bin/env bash
# A missing --templates directory and broken templates: exit 5 and one line naming the file
# and line; no report file is left behind. A directory without overrides uses the built-in
# templates; a directory in place of a template file is an error.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

export PGDATABASE=$(plant_db htemplates)
run_sa audit --history "$work/h.db"
expect_rc 0

run_sa report --history "$work/h.db" --templates "$work/nope" --output "$work/r.html"
expect_rc 5
expect_one_line_err
expect_err "--templates $work/nope: not a directory"
[ ! -e "$work/r.html" ] || fail "a report was written despite the error"

mkdir "$work/empty"
run_sa report --history "$work/h.db" --templates "$work/empty" --output "$work/r.html"
expect_rc 0
grep -q t_id_key "$work/r.html" || fail "the built-in template was not used"

mkdir "$work/broken"
printf '<html>\n{{#findings}}\n<p>{{object}}</p>\n' >"$work/broken/report.html.mustache"
printf '# report\n\n{{/snapshots}}\n' >"$work/broken/report.md.mustache"
run_sa report --history "$work/h.db" --templates "$work/broken" --output "$work/broken.html"
expect_rc 5
expect_one_line_err
expect_err "$work/broken/report.html.mustache:"
[ ! -e "$work/broken.html" ] || fail "half a report was written"
ls "$work"/broken.html.tmp* >/dev/null 2>&1 && fail "a temporary report file was left behind"

run_sa report --history "$work/h.db" --templates "$work/broken" --format markdown
expect_rc 5
expect_one_line_err
expect_err "$work/broken/report.md.mustache:3:"

run_sa audit --templates "$work/broken" --format markdown
expect_rc 5
expect_one_line_err
expect_err "$work/broken/report.md.mustache:3:"

# A directory where a template file should be: an error, not an empty report.
mkdir -p "$work/dirs/report.html.mustache"
run_sa report --history "$work/h.db" --templates "$work/dirs" --output "$work/dirs.html"
expect_rc 5
expect_one_line_err
expect_err "$work/dirs/report.html.mustache: not a file"
[ ! -e "$work/dirs.html" ] || fail "a report was written despite the error"

echo "ok"
