#!/bin/bash
# Replay realsys/scenario/scenario.json into redmine under faketime (lib/seed-system.sh); leaves the server stopped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
SYS=redmine
DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default; DB_OWNER=www-data:www-data
. "$HERE/../lib/seed-system.sh"
