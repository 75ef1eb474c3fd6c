#!/usr/bin/env bash
# A provider workspace at scale (issue 20): the demo's tickets spread over AUTHORITIES school
# authorities (the demo's schools dealt out in turn; every other authority in Lower Saxony,
# every third with its own P1 response target), imported once, then the provider's own pack and
# every authority's pack with the comparison, timed in one run.
#
#   benches/provider.sh [TICKETS] [AUTHORITIES]     default 1000000 10; results in $BENCH_DIR
#                                                  (/tmp/kennzahl-provider)
#
# DATA=<folder of a `kennzahl demo --no-report --data` run> reuses generated files. Needs
# /usr/bin/time. Prints one line per measurement: step | wall seconds | peak RSS GB.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
A=${2:-10}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kennzahl-target}"
B=${BENCH_DIR:-/tmp/kennzahl-provider}
cargo build --release --quiet
rm -rf "$B"; mkdir -p "$B"
cp "$CARGO_TARGET_DIR/release/kennzahl" "$B/kennzahl"
K="$B/kennzahl"

. benches/lib.sh

echo "kennzahl provider benchmark: $N tickets, $A authorities, $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%F)"
row step seconds "RSS GB"
row --- --- ---
if [ -n "${DATA:-}" ]; then
    D=$DATA
else
    D="$B/data"
    run "generate (demo --tickets $N --no-report)" "$K" demo --tickets "$N" --no-report --out "$B/gen" --data "$D"
fi

# The provider: the demo's configuration and A authorities; each school to one of them in turn.
mkdir -p "$B/p"
awk -F, -v a="$A" 'NR == 1 { print $0 ",authority_id"; next }
    { printf "%s,a%02d\n", $0, (NR - 2) % a + 1 }' "$D/schools.csv" > "$B/p/schools.csv"
cp "$D/kennzahl.toml" "$B/p/kennzahl.toml"
for i in $(seq 1 "$A"); do
    id=$(printf 'a%02d' "$i")
    state=NW; [ $((i % 2)) -eq 0 ] && state=NI
    printf '\n[[authorities]]\nid = "%s"\nname = "Schulträger %02d"\nstate = "%s"\n' "$id" "$i" "$state" >> "$B/p/kennzahl.toml"
    if [ $((i % 3)) -eq 0 ]; then
        printf '[[authorities.priorities]]\npriority = 1\nresponse_hours = 0.5\n' >> "$B/p/kennzahl.toml"
    fi
done
"$K" init "$B/p" > /dev/null
FILES=("$B/p/schools.csv" "$D/tickets.csv.gz" "$D/events.csv.gz" "$D/changes.csv" "$D/outages.csv")
run "import into an empty provider workspace (.gz)" "$K" --timings -w "$B/p" import "${FILES[@]}"
run "report --quarter 2026-Q3: the provider's pack (every format, all pages)" "$K" --timings -w "$B/p" report --quarter 2026-Q3 --out "$B/provider"
PROVIDER=$LAST
run "report --quarter 2026-Q3 --each-authority (every pack, the comparison)" "$K" --timings -w "$B/p" report --quarter 2026-Q3 --each-authority --out "$B/authorities"
EACH=$LAST
LOG=$B/$n.log

echo
echo "every authority's pack / the provider's pack: $(ratio "$EACH" "$PROVIDER") ($A packs, each with its staffing report and comparison edition)"
echo "per authority: $(awk -v a="$EACH" -v n="$A" 'BEGIN { printf "%.2f", a / n }') s"
echo "narrowing (copy of each authority's data): $(grep -h 'scope: narrow' "$LOG" | awk '{ s += $(NF-1) } END { printf "%.2f", s }') s in total"
echo "files written: $(find "$B/authorities" -type f | wc -l)"
echo "per-stage timings: $B/*.log"
