#!/bin/bash
# Stop Znuny's Starman (pid file). PostgreSQL keeps running unless REALSYS_STOP_PG=1 (realsys/stop.sh sets it).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
stop_pidfile "$REALSYS_STATE/znuny/znuny.pid" znuny
if [ "${REALSYS_STOP_PG:-0}" = 1 ]; then pg_ctlcluster 15 main stop 2>/dev/null || true; fi
