#!/usr/bin/env bash
# End-to-end scale benchmark (issues 8, 18, 19): a million tickets through kennzahl, against
# the floor of DuckDB's own CSV reader, plus the guard on DuckDB's build setting. One run
# measures the floor, the first import, the unchanged re-import, the next quarter's import
# (the export split at 2026-07-01: the quarter's new and changed tickets into the workspace
# of the export as it was then, against the same files into an empty workspace), the report
# pack and staffing, prints each as a ratio to the floor, and appends its table with date,
# machine and data size to benches/README.md.
#
#   benches/scale.sh [TICKETS]          default 1000000; results in $BENCH_DIR (/tmp/kennzahl-scale)
#
# Needs: /usr/bin/time (apt-get install time) and the duckdb Python package of the bundled
# DuckDB version (python3 -m venv ~/.cache/kennzahl-venv && ~/.cache/kennzahl-venv/bin/pip
# install duckdb==2.0.0; or set PYTHON). Prints one line per measurement:
#   step | wall seconds | peak RSS GB
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kennzahl-target}"
PYTHON=${PYTHON:-$HOME/.cache/kennzahl-venv/bin/python}
B=${BENCH_DIR:-/tmp/kennzahl-scale}
cargo build --release --quiet
rm -rf "$B"; mkdir -p "$B"
# A copy: another build into the same target folder must not swap the binary mid-run.
cp "$CARGO_TARGET_DIR/release/kennzahl" "$B/kennzahl"
K="$B/kennzahl"

. benches/lib.sh
TABLE=$B/table.md
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

echo "kennzahl scale benchmark: $N tickets, $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%F)"
echo "DuckDB (Python, release) $("$PYTHON" benches/floor.py version)"
row step seconds "RSS GB"
row --- --- ---
run "generate (demo --tickets $N --no-report)" "$K" demo --tickets "$N" --no-report --out "$B/gen" --data "$B/data"
# outages.csv too: the ground-truth check compares the availability KPI.
GZ=("$B"/data/schools.csv "$B"/data/tickets.csv.gz "$B"/data/events.csv.gz "$B"/data/changes.csv "$B"/data/outages.csv)
mkdir -p "$B/plain"
cp "$B"/data/schools.csv "$B"/data/changes.csv "$B"/data/outages.csv "$B/plain/"
gunzip -c "$B/data/tickets.csv.gz" > "$B/plain/tickets.csv"
gunzip -c "$B/data/events.csv.gz" > "$B/plain/events.csv"
PLAIN=("$B"/plain/schools.csv "$B"/plain/tickets.csv "$B"/plain/events.csv "$B"/plain/changes.csv "$B"/plain/outages.csv)
echo "events: $(($(wc -l < "$B/plain/events.csv") - 1)) rows, $(du -h "$B/plain/events.csv" | cut -f1) plain"

run "floor: DuckDB read_csv into an on-disk database (.gz)" "$PYTHON" benches/floor.py load "$B/floor.duckdb" "${GZ[@]}"
FLOOR_GZ=$LAST
run "floor: DuckDB read_csv into an on-disk database (plain)" "$PYTHON" benches/floor.py load "$B/floor.duckdb" "${PLAIN[@]}"
FLOOR_PLAIN=$LAST

"$K" init "$B/w" > /dev/null
run "import into an empty workspace (.gz)" "$K" --timings -w "$B/w" import "${GZ[@]}"
IMPORT_GZ=$LAST
run "import again (.gz, unchanged: skipped by the inputs' digest)" "$K" --timings -w "$B/w" import "${GZ[@]}"
REIMPORT=$LAST
run "import again --force (.gz, every row read and merged)" "$K" --timings -w "$B/w" import --force "${GZ[@]}"
FORCED=$LAST
"$K" init "$B/wp" > /dev/null
run "import into an empty workspace (plain)" "$K" --timings -w "$B/wp" import "${PLAIN[@]}"
IMPORT_PLAIN=$LAST
run "report --quarter 2026-Q3" "$K" --timings -w "$B/w" report --quarter 2026-Q3 --out "$B/report"
REPORT=$LAST
REPORT_LOG=$B/$n.log
run "report --quarter 2026-Q3 --format html --no-annex (main report)" "$K" --timings -w "$B/w" report --quarter 2026-Q3 --format html --no-annex --out "$B/report-main"
MAIN=$LAST
MAIN_LOG=$B/$n.log
run "kpi --quarter 2026-Q3 --by school" "$K" -w "$B/w" kpi --quarter 2026-Q3 --by school
run "staffing --from 2025-Q4 --to 2026-Q3 (all formats)" "$K" --timings -w "$B/w" staffing --from 2025-Q4 --to 2026-Q3 --out "$B/staffing"
STAFFING=$LAST
# Correctness at scale: every quarter's KPIs against the generator's ground truth.
for q in 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
    "$K" -w "$B/w" kpi --quarter "$q" --format csv > "$B/kpi-$q.csv"
done
"$PYTHON" benches/check_truth.py "$B/data/ground_truth.csv" "$B"/kpi-*.csv
# --- next quarter (issue 18) ---
# The export as at 2026-07-01 (base) and the "changed since" export of the quarter after it
# (next: the quarter's new tickets, and every ticket changed since, complete).
run "split at 2026-07-01 into base and next (Python DuckDB)" "$PYTHON" benches/split_quarter.py split "$B/data" "$B/quarter"
QF=(schools.csv tickets.csv.gz events.csv.gz changes.csv outages.csv)
"$K" init "$B/wq" > /dev/null
run "import base (the export as at 2026-07-01) into an empty workspace" "$K" --timings -w "$B/wq" import "${QF[@]/#/$B/quarter/base/}"
run "import next into base's workspace (the next quarter, incremental)" "$K" --timings -w "$B/wq" import "${QF[@]/#/$B/quarter/next/}"
NEXT=$LAST
"$K" init "$B/wn" > /dev/null
run "import next alone into an empty workspace (reference)" "$K" --timings -w "$B/wn" import "${QF[@]/#/$B/quarter/next/}"
NEXT_REF=$LAST
echo "next: $(gunzip -c "$B/quarter/next/tickets.csv.gz" | tail -n +2 | wc -l) tickets, $(gunzip -c "$B/quarter/next/events.csv.gz" | tail -n +2 | wc -l) events"
# Correctness: base and then next give the workspace of the whole export (tables, derived
# tables, every KPI of every quarter).
"$PYTHON" benches/split_quarter.py compare "$B/w" "$B/wq"
for q in 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
    "$K" -w "$B/wq" kpi --quarter "$q" --format csv | cmp - "$B/kpi-$q.csv"
done
echo "base + next = the whole export: tables and the KPIs of 8 quarters equal"
# --- end next quarter ---
run "export --parquet" "$K" --timings -w "$B/w" export --parquet "$B/lake"
run "demo, 20,000 tickets end to end" "$K" demo --out "$B/demo20k" --data "$B/demo20k-data"
DEMO=$LAST

# The build guard: one query in kennzahl's embedded DuckDB and in the release DuckDB.
Q="SELECT count(*) FROM (SELECT DISTINCT i % 4000000 AS a, i % 7 AS b FROM range(20000000) t(i))"
EMB=$("$K" --timings -w "$B/w" sql "$Q" 2>&1 >/dev/null | awk '/timing: sql: query/ {print $(NF-1)}')
REL=$("$PYTHON" benches/floor.py query "$Q")
row "guard query, kennzahl's embedded DuckDB" "$EMB" -
row "guard query, release DuckDB (Python)" "$REL" -

echo
echo "import / floor (.gz):    $(ratio "$IMPORT_GZ" "$FLOOR_GZ")   (target ≤ 1.3)"
echo "import / floor (plain):  $(ratio "$IMPORT_PLAIN" "$FLOOR_PLAIN")   (target ≤ 1.3)"
echo "unchanged re-import / import: $(ratio "$REIMPORT" "$IMPORT_GZ")   (target ≤ 0.1, issue 18)"
echo "forced re-import / import:    $(ratio "$FORCED" "$IMPORT_GZ")"
echo "import / floor (.gz), issue 18: $(ratio "$IMPORT_GZ" "$FLOOR_GZ")   (target ≤ 2.0, stretch 1.5)"
echo "report pack / floor (.gz): $(ratio "$REPORT" "$FLOOR_GZ")   (target ≤ 1.0, issue 19)"
echo "main report (HTML):      $MAIN s   (target ≤ 3, issue 19)"
echo "--timings of the two reports account for $(grep -h 'total (wall)' "$REPORT_LOG" "$MAIN_LOG" | sed 's/.*(\([0-9]*\) %.*/\1/' | sort -n | head -1) % of their wall time at the least (target ≥ 95)"
echo "demo 20k:                $DEMO s   (target < 5)"
echo "guard embedded/release:  $(ratio "$EMB" "$REL")   (target ≤ 1.5)"
echo "next quarter / same files into an empty workspace: $(ratio "$NEXT" "$NEXT_REF")   (target ≤ 1.5, issue 18)"
echo "per-stage timings: $B/*.log"

# The run's table, appended to benches/README.md as a dated section.
{
    echo
    echo "## benches/scale.sh, $(date -u +%F)"
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB RAM; load average at the start $LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Data: $N tickets, $(($(wc -l < "$B/plain/events.csv") - 1)) events ($(du -h "$B/plain/events.csv" | cut -f1) plain, $(du -h "$B/data/events.csv.gz" | cut -f1) gzip); next quarter (since 2026-07-01): $(gunzip -c "$B/quarter/next/tickets.csv.gz" | tail -n +2 | wc -l) tickets, $(gunzip -c "$B/quarter/next/events.csv.gz" | tail -n +2 | wc -l) events."
    echo
    echo "| step | seconds | peak RSS GB |"
    echo "|---|---|---|"
    grep -v -e '^| step |' -e '^| --- |' "$TABLE"
    echo
    echo "| measure | seconds | / floor (.gz) | target |"
    echo "|---|---|---|---|"
    echo "| floor: DuckDB read_csv (.gz) | $FLOOR_GZ | 1.00 | |"
    echo "| first import (.gz) | $IMPORT_GZ | $(ratio "$IMPORT_GZ" "$FLOOR_GZ") | ≤ 2.0 (issue 18), stretch 1.5 |"
    echo "| unchanged re-import | $REIMPORT | $(ratio "$REIMPORT" "$FLOOR_GZ") | ≤ 0.1 × first import: $(ratio "$REIMPORT" "$IMPORT_GZ") |"
    echo "| next quarter into the 1M workspace | $NEXT | $(ratio "$NEXT" "$FLOOR_GZ") | ≤ 1.5 × the same files into an empty workspace ($NEXT_REF s): $(ratio "$NEXT" "$NEXT_REF") |"
    echo "| report pack (2026-Q3) | $REPORT | $(ratio "$REPORT" "$FLOOR_GZ") | ≤ 1.0 (issue 19) |"
    echo "| staffing (4 quarters, all formats) | $STAFFING | $(ratio "$STAFFING" "$FLOOR_GZ") | |"
} >> benches/README.md
echo "table appended to benches/README.md"
