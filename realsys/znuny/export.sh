#!/bin/bash
# Export Znuny into DIR (default $REALSYS_STATE/znuny/export) with export.py; the server must be running.
# First calendar.sh: Znuny's own FirstResponseInMin / SolutionInMin in the scenario's service calendar.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
"$HERE/calendar.sh"
python3 "$HERE/export.py" "${1:-$REALSYS_STATE/znuny/export}"
