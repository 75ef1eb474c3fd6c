#!/bin/bash
# Stop every realsys server that run.sh left running (by their pid files under $REALSYS_STATE).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/lib/common.sh"
rc=0
export REALSYS_STOP_PG=1
# every system folder with a stop.sh (lib and scenario have none)
for s in $(cd "$HERE" && ls -d */ | tr -d /); do
  [ -x "$HERE/$s/stop.sh" ] || continue
  "$HERE/$s/stop.sh" || rc=1
done
exit $rc
