#!/bin/bash
# realsys: install, start, seed, export the real ticket systems and leave them RUNNING.
#
#   realsys/run.sh [SYSTEMS...]        (default: rt redmine znuny osticket itop)
#
# Per system: install.sh (apt for what is missing; `apt-get update` once), seed.sh when the system does not
# hold this scenario yet (pristine database, server under faketime, replay, stop; the systems seed side by
# side), start.sh (real clock), export.sh into $REALSYS_OUT/<system>/, and check_export.py (the export carries
# the scripted actions).
# Writes $REALSYS_OUT/env.sh (URLs, accounts, keys, the truth's path) and $REALSYS_OUT/timings.csv.
# Stop everything with realsys/stop.sh. Exit status: non-zero with "realsys: error: …" when a step fails.
#
# Environment: REALSYS_OUT (default /tmp/realsys-out), REALSYS_STATE (default /opt/realsys: pid files,
# logs, pristine databases), REALSYS_RESEED=1 to replay the scenario even if the system already holds it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/lib/common.sh"
[ "$(id -u)" = 0 ] || die "run as root (apt-get, services)"
export REALSYS_OUT=${REALSYS_OUT:-/tmp/realsys-out}
SYSTEMS=("$@"); [ ${#SYSTEMS[@]} -gt 0 ] || SYSTEMS=(rt redmine znuny osticket itop)
for s in "${SYSTEMS[@]}"; do
  [ -x "$HERE/$s/install.sh" ] || die "unknown system '$s' (known: $(cd "$HERE" && ls -d */ | tr -d / | grep -vE '^(lib|scenario)$' | tr '\n' ' '))"
done
mkdir -p "$REALSYS_OUT" "$REALSYS_STATE"
SHA=$(sha256sum "$HERE/scenario/scenario.json" | cut -d' ' -f1)
# the scenario and its truth must be current (both are committed; regenerate them if the generator changed)
python3 "$HERE/scenario/generate.py" "$REALSYS_STATE/scenario.check.json" >/dev/null
cmp -s "$REALSYS_STATE/scenario.check.json" "$HERE/scenario/scenario.json" || die "scenario.json is not what generate.py writes; run realsys/scenario/generate.py and truth.py"
python3 "$HERE/handoff/generate.py" "$REALSYS_STATE/handoff.check.json" >/dev/null
cmp -s "$REALSYS_STATE/handoff.check.json" "$HERE/handoff/scenario.json" || die "handoff/scenario.json is not what handoff/generate.py writes; run realsys/handoff/generate.py and truth.py"
RUN_ID=$(date -u +%Y-%m-%dT%H:%M:%SZ)
[ "$(head -1 "$REALSYS_OUT/timings.csv" 2>/dev/null)" = "run,system,step,seconds" ] || echo "run,system,step,seconds" > "$REALSYS_OUT/timings.csv"

step() { # system step command...
  local sys=$1 st=$2 t0 rc; shift 2
  t0=$(date +%s)
  log "$sys: $st ..."
  if "$@"; then rc=0; else rc=$?; fi
  echo "$RUN_ID,$sys,$st,$(( $(date +%s) - t0 ))" >> "$REALSYS_OUT/timings.csv"
  [ $rc = 0 ] || die "$sys: $st failed (exit $rc)"
}
running() { local f=$REALSYS_STATE/$1/$1.pid; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
# The stamp the two-system handoff scenario (handoff/) must carry: its sha256 and the main stamps of RT and Redmine.
handoff_want() { echo "$(sha256sum "$HERE/handoff/scenario.json" | cut -d' ' -f1)+$(cat "$REALSYS_STATE/rt/seeded" 2>/dev/null)+$(cat "$REALSYS_STATE/redmine/seeded" 2>/dev/null)"; }
handoff_current() { [ "$(cat "$REALSYS_STATE/handoff/seeded" 2>/dev/null)" = "$(handoff_want)" ]; }
asked() { local x; for x in "${SYSTEMS[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }

export REALSYS_APT_STAMP=$REALSYS_STATE/apt-updated.$$
trap 'rm -f "$REALSYS_APT_STAMP"' EXIT
# 1. Stop and install, one system after the other (apt takes one lock).
for s in "${SYSTEMS[@]}"; do
  running "$s" && step "$s" stop "$HERE/$s/stop.sh"
  step "$s" install bash -c "'$HERE/$s/install.sh' > '$REALSYS_STATE/$s-install.log' 2>&1 || { tail -30 '$REALSYS_STATE/$s-install.log' >&2; exit 1; }"
done
# 2. Seed what does not hold this scenario yet, all at once: each system has its own server, port, database and
# faked clock, and a seed waits on its server's answers more than it computes (one request at a time), so
# seeding side by side takes about as long as the longest seed, not the sum. Each seed logs to
# $REALSYS_STATE/<system>-seed.log; a failed one prints its log's end.
seeding=()
for s in "${SYSTEMS[@]}"; do
  if [ "${REALSYS_RESEED:-}" = 1 ] || [ "$(cat "$REALSYS_STATE/$s/seeded" 2>/dev/null)" != "$SHA" ]; then
    log "$s: seeding (log: $REALSYS_STATE/$s-seed.log)"
    ( step "$s" seed "$HERE/$s/seed.sh" ) > "$REALSYS_STATE/$s-seed.log" 2>&1 &
    seeding+=("$s:$!")
  else
    log "$s: already holds this scenario (REALSYS_RESEED=1 to replay it again)"
  fi
done
failed=()
for sp in "${seeding[@]}"; do
  s=${sp%%:*}
  if wait "${sp#*:}"; then
    log "$s: seeded ($(tail -1 "$REALSYS_STATE/$s-seed.log"))"
  else
    tail -20 "$REALSYS_STATE/$s-seed.log" >&2
    failed+=("$s")
  fi
done
[ ${#failed[@]} = 0 ] || die "${failed[*]}: seed failed (logs: $REALSYS_STATE/<system>-seed.log)"
# 2b. The two-system handoff scenario (handoff/, ~2 minutes) on top of RT's and Redmine's, when both are asked for:
# RT hands tickets to the vendor's Redmine. Its own stamp; a main re-seed of either drops it.
if asked rt && asked redmine; then
  if handoff_current; then
    log "handoff: RT and Redmine hold the handoff scenario already"
  else
    log "handoff: seeding (log: $REALSYS_STATE/handoff-seed.log)"
    step handoff seed bash -c "'$HERE/handoff/seed.sh' > '$REALSYS_STATE/handoff-seed.log' 2>&1 || { tail -20 '$REALSYS_STATE/handoff-seed.log' >&2; exit 1; }"
  fi
fi
# 3. Start on the real clock, export and check, one after the other.
for s in "${SYSTEMS[@]}"; do
  step "$s" start "$HERE/$s/start.sh"
  rm -rf "$REALSYS_OUT/$s"
  step "$s" export "$HERE/$s/export.sh" "$REALSYS_OUT/$s"
  step "$s" check python3 "$HERE/lib/check_export.py" "$s" "$REALSYS_OUT/$s"
done

# env.sh: what the tests need to reach the running systems (every system that is running now)
{
  echo "# written by realsys/run.sh $(date -u +%Y-%m-%dT%H:%M:%SZ); source it"
  echo "export REALSYS_OUT='$REALSYS_OUT'"
  echo "export REALSYS_SCENARIO='$HERE/scenario/scenario.json'"
  echo "export REALSYS_TRUTH='$HERE/scenario/truth.json'"
  echo "export REALSYS_TRUTH_CSV='$HERE/scenario/truth.csv'"
  echo "export REALSYS_KENNZAHL_TOML='$HERE/kennzahl.toml'"
  echo "export REALSYS_SCHOOLS_CSV='$HERE/schools.csv'"
  echo "export REALSYS_QUARTER=2025-Q2"
  # each running system prints its own lines (<system>/env.sh)
  for s in $(cd "$HERE" && ls -d */ | tr -d /); do
    [ -x "$HERE/$s/env.sh" ] && running "$s" && "$HERE/$s/env.sh"
  done
  if running rt && running redmine && handoff_current; then
    echo "export REALSYS_HANDOFF_TRUTH='$HERE/handoff/truth.json'"
    echo "export REALSYS_HANDOFF_IDS='$REALSYS_STATE/handoff/ids.csv'"
    echo "export REALSYS_HANDOFF_KEY='$(cat "$REALSYS_STATE/handoff/redmine-key")'"
  fi
} > "$REALSYS_OUT/env.sh"
log "done: ${SYSTEMS[*]} running; exports in $REALSYS_OUT; source $REALSYS_OUT/env.sh; stop with $HERE/stop.sh"
