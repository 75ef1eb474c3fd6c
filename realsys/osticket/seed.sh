#!/bin/bash
# Replay realsys/scenario/scenario.json into osTicket (lib/seed-system.sh: reset, start, seed.py, stop, post-seed.sh);
# leaves the server stopped. The reset drops only the database "osticket" and loads the pristine dump of install.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
SYS=osticket
reset_db() {
  [ -f "$OST_D/pristine.sql" ] || die "osticket: no pristine dump ($OST_D/pristine.sql); run osticket/install.sh"
  mariadb_up
  mysql -uroot -e "DROP DATABASE IF EXISTS \`$OST_DB\`; CREATE DATABASE \`$OST_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" \
    || die "osticket: resetting the database failed"
  mysql -uroot "$OST_DB" < "$OST_D/pristine.sql" || die "osticket: loading the pristine dump failed"
  rm -f "$OST_D/actions.jsonl" "$OST_D/ids.csv" "$OST_D/backdated"
  install -m 0644 -o www-data "$HERE/worker.php" "$OST_D/worker.php"
}
. "$HERE/../lib/seed-system.sh"
