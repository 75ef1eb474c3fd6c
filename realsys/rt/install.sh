#!/bin/bash
# Request Tracker 5 (Debian bookworm: request-tracker5 rt5-db-sqlite rt5-standalone) with SQLite, unattended,
# plus libfaketime. Idempotent: apt only for missing packages; the site configuration is always rewritten.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
ROOTPW=${RT_ROOT_PW:-password}
preseed <<SEL
request-tracker5 request-tracker5/rtname string rt.example.test
request-tracker5 request-tracker5/organization string example.test
request-tracker5 request-tracker5/correspondaddress string rt@example.test
request-tracker5 request-tracker5/commentaddress string rt-comment@example.test
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:8085
request-tracker5 request-tracker5/webpath string
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/initial-root-password password $ROOTPW
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/db/dbname string rtdb
request-tracker5 request-tracker5/db/basepath string /var/lib/dbconfig-common/sqlite3/request-tracker5
SEL
# no mail server, no apache: the standalone (Plack) server only
install_pkgs request-tracker5 rt5-db-sqlite rt5-standalone sqlite3 curl jq ca-certificates faketime python3
# standalone server on 127.0.0.1:8085, no mail, the lifecycle "schul-it" (README, "RT")
mkdir -p "$REALSYS_STATE"
install -m 0644 "$HERE/RT_SiteConfig-realsys.pm" /etc/request-tracker5/RT_SiteConfig.d/90-realsys.pm
# The scenario's queues, teams, technical accounts and custom fields (once; the server must not run yet
# or must be restarted afterwards, RT caches its queues and rights)
DB=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM Queues WHERE Name='1st Level'")" = 0 ]; then
  rt-setup-database-5 --action insert --datafile "$HERE/initialdata" --skip-create > "$REALSYS_STATE/rt-initialdata.log" 2>&1 \
    || { tail -20 "$REALSYS_STATE/rt-initialdata.log"; die "rt: loading realsys/rt/initialdata failed"; }
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM Queues WHERE Lifecycle='schul-it'")" = 4 ] || die "rt: queues missing after initialdata"
  log "rt: queues, teams and custom fields created"
fi
# the pristine database (objects, no tickets) that seed.sh starts from
mkdir -p "$REALSYS_STATE/rt"
if [ ! -f "$REALSYS_STATE/rt/pristine.db" ]; then
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM Tickets")" = 0 ] || die "rt: no pristine database saved and RT already has tickets; reinstall RT's database"
  cp "$DB" "$REALSYS_STATE/rt/pristine.db"
fi
log "rt: installed"
