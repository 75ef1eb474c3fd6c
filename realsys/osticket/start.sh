#!/bin/bash
# Start osTicket: the shared MariaDB (if it does not answer) and a private Apache (mod_php) on 127.0.0.1:8088
# (pid file $REALSYS_STATE/osticket/osticket.pid, logs beside it).
# REALSYS_FAKETIME_FILE (set by lib/seed-system.sh) is not used: osTicket takes most instants from MariaDB's NOW(),
# which libfaketime on Apache cannot reach. seed.py's worker sets its own MariaDB session clock
# (SET timestamp) instead, and post-seed.sh backdates what the API wrote (README, "time").
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
PIDF=$OST_D/osticket.pid
if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then die "osticket: already running (pid $(cat "$PIDF")); stop it first"; fi
[ -f "$OST_D/httpd.conf" ] || die "osticket: not installed ($OST_D/httpd.conf missing); run osticket/install.sh"
mariadb_up
mkdir -p "$OST_D/run"; chown www-data "$OST_D/run"; rm -f "$PIDF"
/usr/sbin/apache2 -f "$OST_D/httpd.conf" -k start || die "osticket: apache did not start (log: $OST_D/apache-error.log)"
if s=$(wait_http "http://127.0.0.1:$OST_PORT/scp/login.php" 60 /nonexistent); then
  log "osticket: up after ${s}s (apache pid $(cat "$PIDF"))"
else
  tail -30 "$OST_D/apache-error.log" >&2; die "osticket: the server did not come up on 127.0.0.1:$OST_PORT (log: $OST_D/apache-error.log)"
fi
