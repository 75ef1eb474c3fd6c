#!/bin/bash
# Start RT's standalone Plack server on 127.0.0.1:8085 (pid: $REALSYS_STATE/rt/rt.pid, log: .../server.log).
# REALSYS_FAKETIME_FILE=/path: run under libfaketime reading the faked "now" from that file (an absolute UTC
# time "2025-04-01 08:00:00" written by seed.py before each API call; TZ=UTC so it is read as UTC).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
D=$REALSYS_STATE/rt; mkdir -p "$D"
if [ -f "$D/rt.pid" ] && kill -0 "$(cat "$D/rt.pid")" 2>/dev/null; then die "rt: already running (pid $(cat "$D/rt.pid")); stop it first"; fi
if [ -n "${REALSYS_FAKETIME_FILE:-}" ]; then
  [ -f "$FAKETIME_LIB" ] || die "rt: libfaketime missing ($FAKETIME_LIB)"
  [ -s "$REALSYS_FAKETIME_FILE" ] || die "rt: $REALSYS_FAKETIME_FILE is empty"
  ( export LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$REALSYS_FAKETIME_FILE FAKETIME_NO_CACHE=1 TZ=UTC
    cd "$D" && exec setsid /usr/share/request-tracker5/libexec/rt-server --host 127.0.0.1 --port 8085 ) > "$D/server.log" 2>&1 &
else
  ( cd "$D" && exec setsid /usr/share/request-tracker5/libexec/rt-server --host 127.0.0.1 --port 8085 ) > "$D/server.log" 2>&1 &
fi
echo $! > "$D/rt.pid"
if s=$(wait_http http://127.0.0.1:8085/REST/2.0/rt 120 "$D/rt.pid" -u "root:${RT_ROOT_PW:-password}"); then
  log "rt: up after ${s}s (pid $(cat "$D/rt.pid"))${REALSYS_FAKETIME_FILE:+ under faketime}"
else
  tail -30 "$D/server.log" >&2; die "rt: the server did not come up on 127.0.0.1:8085 (log: $D/server.log)"
fi
