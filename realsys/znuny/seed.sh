#!/bin/bash
# Replay realsys/scenario/scenario.json into Znuny under faketime (lib/seed-system.sh); leaves the server stopped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
SYS=znuny
reset_db() {  # the database back to the pristine template, Znuny's cache emptied
  pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
  su postgres -c "dropdb --if-exists znuny && createdb -O znuny -T znuny_pristine znuny" || die "znuny: resetting the database failed"
  su otrs -c "$REALSYS_STATE/znuny-home/bin/otrs.Console.pl Maint::Cache::Delete" >/dev/null
}
. "$HERE/../lib/seed-system.sh"
