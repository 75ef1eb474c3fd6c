#!/usr/bin/env bash
# Run the fuzz targets of kennzahl's parsers (crates/kennzahl-parse), each for a time.
#   fuzz/run.sh [SECONDS] [TARGET...]      default: 600 s, every target, one after another
#   JOBS=2 fuzz/run.sh 600                 two targets at once (the machine has 2 cores)
#   fuzz/run.sh 0 read                     replay the seeds and regressions only (no fuzzing)
# Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz). Seeds come from the
# test fixtures, the profiles and the configuration template; the corpus grows in
# fuzz/corpus/<target> and crashes land in fuzz/artifacts/<target> (both not committed).
# Each run's last lines go to fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read timestamp profile config ics dialect mapper)
jobs="${JOBS:-1}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kt-fuzz-nightly}"
root=..

seed() {
    local t=$1 dir=corpus/$1
    mkdir -p "$dir"
    # The inputs of earlier findings first (fuzz/regressions/<target>, committed).
    if [ -d regressions/"$t" ]; then cp regressions/"$t"/* "$dir/"; fi
    case $t in
    read)
        # One byte in front chooses the file name the target reads the bytes as.
        local i=0
        while IFS= read -r f; do
            local sel
            case $f in
            *.csv.gz) sel='\x01' ;; *.json.gz) sel='\x09' ;; *.zip) sel='\x02' ;;
            *.xlsx) sel='\x03' ;; *.json) sel='\x04' ;; *.ndjson) sel='\x05' ;;
            *.ods) sel='\x06' ;; *.tsv) sel='\x07' ;; *) sel='\x00' ;;
            esac
            # Large fixtures: their first 16 KiB (the sniffing happens there).
            { printf "$sel"; head -c 16384 "$f"; } >"$dir/seed-$i"
            i=$((i + 1))
        done < <(find $root/tests/fixtures -type f \( -name '*.csv' -o -name '*.gz' -o -name '*.zip' -o -name '*.xlsx' -o -name '*.json' -o -name '*.ndjson' -o -name '*.ods' -o -name '*.tsv' \) | sort)
        ;;
    timestamp) cp seeds/timestamp/* "$dir/" ;;
    profile) cp $root/profiles/*.toml $root/tests/fixtures/bad/*/profile.toml "$dir/" 2>/dev/null || true
        find $root/tests/fixtures/profiles -name '*.toml' -exec cp {} "$dir/" \; ;;
    config) cp $root/src/templates/kennzahl.toml "$dir/template.toml"
        find $root/tests/fixtures -name 'kennzahl*.toml' -exec cp --backup=numbered {} "$dir/" \; ;;
    ics) cp seeds/ics/* "$dir/" ;;
    dialect) cp $root/queries/kpis/*.sql "$dir/" ;;
    mapper)
        # Two bytes choose the built-in profile and its file kind; the rows below the header
        # come from the profile fixtures (their columns rarely line up: the fuzzer takes it
        # from there).
        local i=0 p k f
        for p in $(seq 0 15); do
            for k in 0 1; do
                f=$(find $root/tests/fixtures/profiles -name '*.csv' | sort | sed -n "$(( (p * 2 + k) % 20 + 1 ))p")
                [ -n "$f" ] || continue
                { printf "\\x$(printf %02x "$p")\\x0$k"; tail -n +2 "$f" | head -c 8192; } >"$dir/seed-$i"
                i=$((i + 1))
            done
        done
        ;;
    esac
}

run() {
    local t=$1
    seed "$t"
    mkdir -p logs artifacts/"$t"
    echo "== $t: ${secs}s"
    local mode=(-max_total_time="$secs")
    [ "$secs" -gt 0 ] || mode=(-runs=0)
    cargo +nightly fuzz run -O "$t" corpus/"$t" -- \
        "${mode[@]}" -rss_limit_mb=4096 -timeout=30 -print_final_stats=1 \
        >logs/"$t".log 2>&1 || echo "   $t stopped with a finding: see fuzz/logs/$t.log and fuzz/artifacts/$t"
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )' logs/"$t".log || true
    echo "   corpus: $(ls corpus/"$t" | wc -l) inputs; artifacts: $(ls artifacts/"$t" | wc -l)"
}

cargo +nightly fuzz build -O
if [ "$jobs" -gt 1 ]; then
    for t in "${targets[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 5; done
        run "$t" &
    done
    wait
else
    for t in "${targets[@]}"; do run "$t"; done
fi
