#!/usr/bin/env bash
# Render the sample activity report (May–August 2025) to HTML, then to PNG with headless
# Chromium, to look at what a reader sees.
#
#   scripts/render-report-png.sh [OUT.png] [HTML]
#
# The sample data is loaded into a throwaway SQLite database, a few stakeholders are given
# influence/interest scores so that the stakeholder map has something to show, and the report is
# written with `engagement report`. Needs Chromium (`apt-get install chromium`); it is never
# needed by the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-.demo/report.png}
html=${2:-${out%.png}.html}
bin=${ENGAGEMENT_BIN:-.venv/bin/engagement}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
    echo "render-report-png: Chromium is not installed (apt-get install chromium)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="sqlite:///$work/sample.db"
mkdir -p "$(dirname "$out")" "$(dirname "$html")"

"$bin" --db "$db" sample load >/dev/null
for scores in "Ministry of Foreign Affairs of the Russian Federation:5:5" \
              "Ministry of Defence of the Russian Federation:5:4" \
              "Russian Red Cross:4:5" \
              "Office of the High Commissioner for Human Rights in the Russian Federation:4:4" \
              "BI.ZONE:2:4" \
              "Valdai Discussion Club:3:2" \
              "Shanghai Cooperation Organisation:2:2"; do
    IFS=: read -r name influence interest <<<"$scores"
    "$bin" --db "$db" stakeholder edit "$name" --influence "$influence" --interest "$interest" >/dev/null
done
"$bin" --db "$db" report --from 2025-05-01 --to 2025-08-31 --format html --output "$html" \
    --title "Activities of the regional delegation"

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars \
    --screenshot="$out" --window-size=1200,3000 "file://$(realpath "$html")" >/dev/null 2>&1
test -s "$out"
echo "$html"
echo "$out"
