#!/bin/bash
# Replay realsys/scenario/scenario.json into iTop under faketime (lib/seed-system.sh); leaves the server stopped.
# post-seed.sh then truncates every recorded instant to the minute (PHP's faked clock ticks).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
SYS=itop
reset_db() {  # the database back to the pristine dump (install.sh); iTop keeps no data cache outside it
  mariadb_up
  itop_db_create || die "itop: resetting the database failed"
  mysql -uroot "$ITOP_DB" < "$ITOP_D/pristine.sql" || die "itop: loading pristine.sql failed"
}
[ -f "$ITOP_D/pristine.sql" ] || die "itop: no pristine dump ($ITOP_D/pristine.sql); run itop/install.sh"
. "$HERE/../lib/seed-system.sh"
