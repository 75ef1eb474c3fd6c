#!/bin/bash
# Stop iTop's PHP server: its whole process group (PHP_CLI_SERVER_WORKERS forks the workers into the new session
# that start-stop-daemon --background made; start.sh notes the group in itop.pgid, which is not the server's pid).
# MariaDB is shared and keeps running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
PIDF=$ITOP_D/itop.pid; GF=$ITOP_D/itop.pgid
[ -f "$PIDF" ] || [ -f "$GF" ] || { log "itop: not running (no $PIDF)"; exit 0; }
P=$(cat "$PIDF" 2>/dev/null || true); G=$(cat "$GF" 2>/dev/null || true)
# never our own group, never init's
if [ -n "$G" ] && { [ "$G" -le 1 ] || [ "$G" = "$(ps -o pgid= -p $$ | tr -d ' ')" ]; }; then G=; fi
alive() { { [ -n "$P" ] && kill -0 "$P" 2>/dev/null; } || { [ -n "$G" ] && pgrep -g "$G" >/dev/null; }; }
if alive; then
  if [ -n "$G" ]; then kill -- -"$G" 2>/dev/null || true; fi
  if [ -n "$P" ]; then kill "$P" 2>/dev/null || true; fi
  for i in $(seq 1 20); do alive || break; sleep 1; done
  if alive; then
    if [ -n "$G" ]; then kill -9 -- -"$G" 2>/dev/null || true; fi
    if [ -n "$P" ]; then kill -9 "$P" 2>/dev/null || true; fi
  fi
fi
rm -f "$PIDF" "$GF"
log "itop: stopped"
