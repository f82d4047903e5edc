#!/usr/bin/env bash
# The demo's report as the review meeting sees it (issue #15): the history scripts/demo.sh
# builds (scripts/lib/demo-history.bash: the sample SaaS schema audited over four quarters),
# rendered to HTML, opened in headless Chromium at 1400 and 800 px and printed to A4 PDF.
#   * the PDF has at most 10 pages, and its first page holds the summary, not only the title;
#   * at both widths the summary's headline numbers are on the first screen, chart text renders
#     at 12 px or more, no snapshot row wraps, and nothing is wider than the window.
. "$(dirname "$0")/lib/common.bash"
cd "$src"
. scripts/lib/demo-history.bash
db=$(make_db demo)
PGDATABASE=$db demo_history "$bin" "$work/history.db" "$work" 2>/dev/null
run_sa report --history "$work/history.db" -o "$work/report.html"
expect_rc 0

for width in 1400 800; do
  node tests/cli/report_browser_check.js /usr/bin/chromium "$work/report.html" "$work/shot-$width.png" \
    "$work/profile-$width" width=$width height=900 shot=first pdf="$work/report-$width.pdf" \
    >"$work/browser-$width.json" 2>"$work/browser-$width.err" ||
    fail "chromium at $width px: $(cat "$work/browser-$width.json" "$work/browser-$width.err")"
done

pages=$(pdfinfo "$work/report-1400.pdf" | awk '/^Pages:/ {print $2}')
pdftotext -f 1 -l 1 -layout "$work/report-1400.pdf" "$work/page1.txt"
python3 - "$work" "$pages" <<'PY'
import json, sys
work, pages = sys.argv[1], int(sys.argv[2])
problems = []
for width in (1400, 800):
    r = json.load(open(f"{work}/browser-{width}.json"))
    dom = r["dom"]
    if r["consoleErrors"]:
        problems.append(f"{width} px: console errors {r['consoleErrors']}")
    if r["pdfPages"] != pages and width == 1400:
        problems.append(f"the script counted {r['pdfPages']} PDF pages, pdfinfo {pages}")
    kpis = dom["boxes"][".kpis"]
    if not kpis or kpis["bottom"] > 900:
        problems.append(f"{width} px: the headline numbers are not on the first screen: {kpis}")
    if dom["minChartText"] < 12:
        problems.append(f"{width} px: chart text renders at {dom['minChartText']:.1f} px")
    if dom["wrappedSnapshotRows"]:
        problems.append(f"{width} px: {dom['wrappedSnapshotRows']} snapshot row(s) wrap")
    if dom["width"] > width:
        problems.append(f"{width} px: the page is {dom['width']} px wide")
    print(f"{width} px: {dom['domNodes']} DOM nodes, {dom['height']} px tall, loaded in {r['loadMs']} ms")
if pages > 10:
    problems.append(f"the printed demo report has {pages} pages (at most 10)")
first = open(f"{work}/page1.txt").read()
for words in ("Summary", "findings", "Indexes"):
    if words not in first:
        problems.append(f"page 1 lacks '{words}': {first[:600]}")
print(f"printed: {pages} pages")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
PY
