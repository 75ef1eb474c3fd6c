#!/usr/bin/env bash
# Ten million tickets (issue 18, item 4): the demo generator streams 10M tickets (about 100 M
# events) into the canonical files, a fresh workspace imports them, and the full report pack
# and the staffing report are written, each step timed with its peak RSS. DuckDB keeps to the
# workspace's `[engine] memory_limit` ($MEMORY_LIMIT, default 8GB) and spills the rest to its
# temp_directory (a workspace on disk: kennzahl.duckdb.tmp beside the database); the script
# samples that folder's size every 5 s and reports the largest.
#
#   benches/tenmillion.sh [TICKETS]     default 10000000; results in $BENCH_DIR (/tmp/kennzahl-10m)
#
# Needs /usr/bin/time and about 15 GB of disk at 10M (data ~1.1 GB, workspace, spill). The
# folder is left for inspection: remove it when done (KEEP=0 removes it at the end).
# Prints one line per step:  step | wall seconds | peak RSS GB; then the top stages of each
# step's --timings and the spill.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kennzahl-target}"
B=${BENCH_DIR:-/tmp/kennzahl-10m}
cargo build --release --quiet
rm -rf "$B"; mkdir -p "$B"
# A copy: another build into the same target folder must not swap the binary mid-run.
cp "$CARGO_TARGET_DIR/release/kennzahl" "$B/kennzahl"
K="$B/kennzahl"

. benches/lib.sh

# The size (MB) of the spill folders every 5 s, into $B/spill (du fails while there is none:
# the loop must not stop on it under pipefail).
spill_watch() {
    set +e +o pipefail
    while :; do
        echo "$(date -u +%T) $(du -sm "$B/w/kennzahl.duckdb.tmp" "$B"/w/.kennzahl-scope-*.spill 2>/dev/null \
            | awk '{ s += $1 } END { print s + 0 }')" >> "$B/spill"
        sleep 5
    done
}
spill_watch &
WATCH=$!
trap 'kill $WATCH 2>/dev/null || true' EXIT

echo "kennzahl ten-million benchmark: $N tickets, $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u '+%F %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
row step seconds "RSS GB"
row --- --- ---
run "generate (demo --tickets $N --no-report, streamed)" "$K" demo --tickets "$N" --no-report --out "$B/gen" --data "$B/data"
GEN_LOG=$B/$n.log
"$K" init "$B/w" > /dev/null
# Ten million tickets need more than the template's 1.5GB: with it, d_ticket_facts runs out
# of memory (benches/README.md). MEMORY_LIMIT=1.5GB shows that failure again.
sed -i "s/^memory_limit = .*/memory_limit = \"${MEMORY_LIMIT:-8GB}\"/" "$B/w/kennzahl.toml"
run "import into an empty workspace (.gz)" "$K" --timings -w "$B/w" import \
    "$B"/data/schools.csv "$B"/data/tickets.csv.gz "$B"/data/events.csv.gz "$B"/data/changes.csv "$B"/data/outages.csv
run "report --quarter 2026-Q3 (the whole pack, every format)" "$K" --timings -w "$B/w" report --quarter 2026-Q3 --out "$B/report"
run "staffing --from 2025-Q4 --to 2026-Q3 (every format)" "$K" --timings -w "$B/w" staffing --from 2025-Q4 --to 2026-Q3 --out "$B/staffing"
kill $WATCH 2>/dev/null || true

echo
head -1 "$GEN_LOG"
echo "files: $(cd "$B/data" && du -b schools.csv tickets.csv.gz events.csv.gz changes.csv outages.csv | awk '{ printf "%s %.0f MB  ", $2, $1 / 1e6 }')"
echo "workspace: $(du -sh "$B/w/kennzahl.duckdb" | cut -f1); engine: $("$K" -w "$B/w" sql "SELECT current_setting('memory_limit') AS memory_limit, current_setting('temp_directory') AS temp_directory" --format csv 2>/dev/null | tail -1)"
echo "largest spill while running: $(awk '{ print $2 }' "$B/spill" | sort -n | tail -1) MB (samples: $B/spill)"
for i in 2 3 4; do
    echo "top stages of step $i (--timings, $B/$i.log):"
    grep '^timing:' "$B/$i.log" | grep -v 'total (wall)\|peak memory' \
        | awk '{ s = $(NF-1); $1 = ""; $NF = ""; $(NF-1) = ""; printf "%9.2f s %s\n", s, $0 }' \
        | sort -rn | head -8
    grep 'total (wall)\|peak memory' "$B/$i.log" || true
done
if [ "${KEEP:-1}" = 0 ]; then rm -rf "$B"; fi
