# Shared by the benchmark scripts (sourced): one table row per measurement.
#   row LABEL SECONDS RSS           a row of the results table (also appended to $TABLE,
#                                   when set: the markdown table a script writes into
#                                   benches/README.md)
#   run LABEL CMD…                  wall time and peak RSS of one command ($LAST: its seconds);
#                                   its stdout/stderr go to $B/<n>.out and $B/<n>.log
n=0
row() {
    printf '| %-62s | %8s | %6s |\n' "$1" "$2" "$3"
    if [ -n "${TABLE:-}" ]; then printf '| %s | %s | %s |\n' "$1" "$2" "$3" >> "$TABLE"; fi
}
run() {
    local label=$1; shift
    n=$((n + 1))
    /usr/bin/time -f "%e %M" -o "$B/time" "$@" > "$B/$n.out" 2> "$B/$n.log"
    read -r secs kb < "$B/time"
    row "$label" "$secs" "$(awk -v k="$kb" 'BEGIN { printf "%.2f", k / 1048576 }')"
    LAST=$secs
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
