#!/usr/bin/env bash
# Makes the README's pictures of the report from the demo's (run scripts/demo.sh first):
# docs/images/report-first-screen.png, the first screen of report.html in headless Chromium at
# 1400 x 900, and docs/images/report-printed-page.png, the first page of its A4 print.
#   usage: scripts/screenshots.sh [REPORT.html]
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-report.html}
[ -f "$report" ] || { echo "screenshots: no $report; run scripts/demo.sh first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/images
node tests/cli/report_browser_check.js /usr/bin/chromium "$report" docs/images/report-first-screen.png \
  "$work/profile" width=1400 height=900 shot=first pdf="$work/report.pdf" >"$work/result.json" ||
  { cat "$work/result.json" >&2; exit 1; }
pdftoppm -f 1 -l 1 -r 70 -png -singlefile "$work/report.pdf" docs/images/report-printed-page
echo "screenshots: wrote docs/images/report-first-screen.png and docs/images/report-printed-page.png" \
  "($(pdfinfo "$work/report.pdf" | awk '/^Pages:/ {print $2}') printed pages)" >&2
