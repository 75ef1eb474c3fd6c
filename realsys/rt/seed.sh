#!/bin/bash
# Replay realsys/scenario/scenario.json into rt under faketime (lib/seed-system.sh); leaves the server stopped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
SYS=rt
DB=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb; DB_OWNER=root:www-data
. "$HERE/../lib/seed-system.sh"
