#!/bin/bash
# Start Redmine (WEBrick via rails server) on 127.0.0.1:3005 as www-data (pid: $REALSYS_STATE/redmine/redmine.pid).
# REALSYS_FAKETIME_FILE=/path: run under libfaketime reading the faked "now" from that file (absolute UTC time
# written by seed.py before each API call; TZ=UTC; the monotonic clock stays real).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
D=$REALSYS_STATE/redmine; mkdir -p "$D"; chown www-data "$D"
PIDF=$D/redmine.pid
if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then die "redmine: already running (pid $(cat "$PIDF")); stop it first"; fi
rm -f "$PIDF"
FT=""
if [ -n "${REALSYS_FAKETIME_FILE:-}" ]; then
  [ -f "$FAKETIME_LIB" ] || die "redmine: libfaketime missing ($FAKETIME_LIB)"
  [ -s "$REALSYS_FAKETIME_FILE" ] || die "redmine: $REALSYS_FAKETIME_FILE is empty"
  FT="LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$REALSYS_FAKETIME_FILE FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC"
fi
su www-data -s /bin/sh -c "cd /usr/share/redmine && $FT REDMINE_INSTANCE=default RAILS_ENV=production setsid bundle exec rails server -u webrick -e production -b 127.0.0.1 -p 3005 -P $PIDF > $D/server.log 2>&1 &"
KEY=$(sed -n 's/^API_KEY=//p' "$D/keys")
for i in $(seq 1 180); do
  if curl -fsS -o /dev/null -H "X-Redmine-API-Key: $KEY" http://127.0.0.1:3005/users/current.json 2>/dev/null; then
    log "redmine: up after ${i}s (pid $(cat "$PIDF"))${REALSYS_FAKETIME_FILE:+ under faketime}"; exit 0; fi
  if [ -f "$PIDF" ] && ! kill -0 "$(cat "$PIDF")" 2>/dev/null; then break; fi
  if [ "$i" -gt 20 ] && [ ! -f "$PIDF" ] && ! pgrep -u www-data -f "rails server -u webrick" >/dev/null; then break; fi
  sleep 1
done
tail -30 "$D/server.log" >&2; die "redmine: the server did not come up on 127.0.0.1:3005 (log: $D/server.log)"
