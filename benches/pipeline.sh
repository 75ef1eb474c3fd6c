#!/usr/bin/env bash
# The import pipeline's stages (issue 18): reading+staging per file of a canonical import of
# the scale dataset, and reading+mapping+staging per file of a profile import of the real
# BPIC 2014 export, each into a fresh workspace, from `kennzahl --timings`.
#
#   benches/pipeline.sh [KENNZAHL]      default: the release binary of $CARGO_TARGET_DIR
#
# Needs the canonical files of benches/scale.sh in $DATA (default /tmp/kennzahl-scale/data)
# and the BPIC 2014 files in $BPIC (default /work/shared/datasets/bpic2014-rabobank).
# Compare two binaries on the same machine state by running it for each, one after the other.
set -euo pipefail
K=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/kennzahl-target}/release/kennzahl}
DATA=${DATA:-/tmp/kennzahl-scale/data}
BPIC=${BPIC:-/work/shared/datasets/bpic2014-rabobank}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
uptime
"$K" init "$W/c" > /dev/null
"$K" --timings -w "$W/c" import "$DATA"/{schools.csv,tickets.csv.gz,events.csv.gz,changes.csv,outages.csv} 2>&1 \
    | grep -E '^timing: (import: read|total)'
if [ -d "$BPIC" ]; then
    "$K" init "$W/p" > /dev/null
    "$K" --timings -w "$W/p" import --profile hpsm "$BPIC"/*.csv.gz 2>&1 \
        | grep -E '^timing: (import: read|total)'
fi
