#!/bin/bash
# Start PostgreSQL (if needed) and Znuny's PSGI app under Starman on 127.0.0.1:8086 (pid: $REALSYS_STATE/znuny/znuny.pid).
# REALSYS_FAKETIME_FILE=/path: run under libfaketime (absolute frozen UTC time written by seed.py; TZ=UTC).
# Znuny takes every timestamp from Perl's clock (its DB layer replaces current_timestamp), so the faked time lands.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
ZH=$REALSYS_STATE/znuny-home; D=$REALSYS_STATE/znuny; mkdir -p "$D"; chown otrs "$D"
PIDF=$D/znuny.pid
if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then die "znuny: already running (pid $(cat "$PIDF")); stop it first"; fi
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
if [ -n "${REALSYS_FAKETIME_FILE:-}" ]; then
  [ -f "$FAKETIME_LIB" ] || die "znuny: libfaketime missing ($FAKETIME_LIB)"
  [ -s "$REALSYS_FAKETIME_FILE" ] || die "znuny: $REALSYS_FAKETIME_FILE is empty"
  export LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$REALSYS_FAKETIME_FILE FAKETIME_NO_CACHE=1 TZ=UTC
fi
rm -f "$PIDF"
start-stop-daemon --start --background --make-pidfile --pidfile "$PIDF" --chuid otrs:www-data \
  --chdir "$ZH" --output "$D/server.log" \
  --exec /usr/bin/starman -- --listen 127.0.0.1:8086 --workers 2 "$ZH/bin/cgi-bin/app.psgi"
unset LD_PRELOAD
if s=$(wait_http http://127.0.0.1:8086/otrs/index.pl 120 "$PIDF"); then
  log "znuny: up after ${s}s (pid $(cat "$PIDF"))${REALSYS_FAKETIME_FILE:+ under faketime}"
else
  tail -30 "$D/server.log" >&2; die "znuny: the server did not come up on 127.0.0.1:8086 (log: $D/server.log)"
fi
