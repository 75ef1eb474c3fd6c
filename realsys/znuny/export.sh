#!/bin/bash
# Export Znuny into DIR (default $REALSYS_STATE/znuny/export) with export.py; the server must be running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
python3 "$HERE/export.py" "${1:-$REALSYS_STATE/znuny/export}"
