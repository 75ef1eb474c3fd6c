#!/bin/bash
# Export osTicket into DIR (default $REALSYS_STATE/osticket/export) with export.py; the server must be running
# (the staff panel's export goes through it; the SQL reads the shared MariaDB's database "osticket").
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
python3 "$HERE/export.py" "${1:-$REALSYS_STATE/osticket/export}"
