#!/bin/bash
# Export iTop into DIR (default $REALSYS_STATE/itop/export) with export.py; the server must be running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
python3 "$HERE/export.py" "${1:-$ITOP_D/export}"
