#!/bin/bash
# Start MariaDB (if it does not answer; shared, never stopped here) and iTop under PHP's built-in web server on
# 127.0.0.1:8087 as www-data (pid: $REALSYS_STATE/itop/itop.pid; 2 workers in the server's process group).
# REALSYS_FAKETIME_FILE=/path: run under libfaketime with that timestamp file (TZ=UTC). PHP needs a TICKING
# clock (uniqid() waits for the clock to advance: a frozen clock hangs iTop), so seed.py writes a relative
# offset ("-52000000"): iTop records the scripted instant plus the call's latency (seconds; post-seed.sh
# truncates every recorded instant to the minute, README).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
PIDF=$ITOP_D/itop.pid
mkdir -p "$ITOP_D"
if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then die "itop: already running (pid $(cat "$PIDF")); stop it first"; fi
[ -f "$ITOP_HOME/conf/production/config-itop.php" ] || die "itop: not installed ($ITOP_HOME); run itop/install.sh"
mariadb_up
if [ -n "${REALSYS_FAKETIME_FILE:-}" ]; then
  [ -f "$FAKETIME_LIB" ] || die "itop: libfaketime missing ($FAKETIME_LIB)"
  [ -s "$REALSYS_FAKETIME_FILE" ] || die "itop: $REALSYS_FAKETIME_FILE is empty"
  # an absolute time (lib/seed-system.sh writes the first instant so) becomes the same instant as a ticking offset
  T=$(head -1 "$REALSYS_FAKETIME_FILE")
  if [[ $T =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}$ ]]; then
    printf '%+d\n' $(( $(date -u -d "$T" +%s) - $(date -u +%s) )) > "$REALSYS_FAKETIME_FILE.tmp"
    chmod 644 "$REALSYS_FAKETIME_FILE.tmp"; mv "$REALSYS_FAKETIME_FILE.tmp" "$REALSYS_FAKETIME_FILE"
  fi
  export LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$REALSYS_FAKETIME_FILE FAKETIME_NO_CACHE=1 TZ=UTC
fi
curl -s -o /dev/null "http://127.0.0.1:$ITOP_PORT/" && die "itop: 127.0.0.1:$ITOP_PORT answers already (a server left over?)"
rm -f "$PIDF" "$ITOP_D/itop.pgid"
PHP_CLI_SERVER_WORKERS=2 start-stop-daemon --start --background --make-pidfile --pidfile "$PIDF" \
  --chuid www-data:www-data --chdir "$ITOP_HOME" --output "$ITOP_D/server.log" \
  --exec "$ITOP_PHP" -- -d memory_limit=512M -d max_execution_time=300 -S 127.0.0.1:$ITOP_PORT -t "$ITOP_HOME"
unset LD_PRELOAD
sleep 0.5
G=$(ps -o pgid= -p "$(cat "$PIDF")" | tr -d ' ') && echo "$G" > "$ITOP_D/itop.pgid"
if s=$(wait_http "http://127.0.0.1:$ITOP_PORT/pages/UI.php" 120 "$PIDF"); then
  log "itop: up after ${s}s (pid $(cat "$PIDF"))${REALSYS_FAKETIME_FILE:+ under faketime}"
else
  tail -30 "$ITOP_D/server.log" >&2; die "itop: the server did not come up on 127.0.0.1:$ITOP_PORT (log: $ITOP_D/server.log)"
fi
