#!/bin/bash
# osTicket 1.18.1 on Debian bookworm: PHP 8.2, MariaDB and Apache (mod_php) from Debian, the osTicket tree from the
# source tarball ../shared/realsys/sources/osticket-1.18.1.tgz (relative to the repository; REALSYS_SOURCES
# overrides), unpacked under $REALSYS_STATE/osticket-home (never into the repository). Idempotent: the tree, the
# database and the scenario's objects (setup.php, osTicket's own model code) are made once; the dump
# $REALSYS_STATE/osticket/pristine.sql is the reset point of seed.sh. MariaDB is shared (iTop): started if it does
# not answer, never stopped; only the database "osticket" is touched. Apache runs as a private instance
# (httpd.conf: 127.0.0.1:8088, pid file $REALSYS_STATE/osticket/osticket.pid), not as Debian's apache2 service.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
SOURCES=${REALSYS_SOURCES:-$REALSYS_HOME/../../shared/realsys/sources}
TGZ=$SOURCES/osticket-1.18.1.tgz
ost_apt mariadb-server mariadb-client php8.2-cli php8.2-mysql php8.2-gd php8.2-xml php8.2-mbstring php8.2-intl \
  php8.2-apcu apache2 libapache2-mod-php8.2 curl jq ca-certificates python3 util-linux
mkdir -p "$OST_D/run"
mariadb_up

db_exists() { [ "$(mysql -uroot -N -e "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='$OST_DB'")" = 1 ]; }
db_create() {
  mysql -uroot <<SQL
DROP DATABASE IF EXISTS \`$OST_DB\`;
CREATE DATABASE \`$OST_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$OST_DBUSER'@'localhost' IDENTIFIED BY '$OST_DBPW';
ALTER USER '$OST_DBUSER'@'localhost' IDENTIFIED BY '$OST_DBPW';
GRANT ALL PRIVILEGES ON \`$OST_DB\`.* TO '$OST_DBUSER'@'localhost';
FLUSH PRIVILEGES;
SQL
}

if [ -f "$OST_D/pristine.sql" ] && grep -q "define('OSTINSTALLED',TRUE)" "$OST_HOME/include/ost-config.php" 2>/dev/null; then
  if ! db_exists; then   # the database was dropped: back to the pristine state
    db_create; mysql -uroot "$OST_DB" < "$OST_D/pristine.sql"; log "osticket: database restored from pristine.sql"
  fi
else
  [ -f "$TGZ" ] || die "osticket: source tarball missing: $TGZ (REALSYS_SOURCES=dir overrides)"
  rm -f "$OST_D/pristine.sql" "$OST_D/seeded"
  TMP=$REALSYS_STATE/osticket-unpack; rm -rf "$TMP"; mkdir -p "$TMP"
  tar -xzf "$TGZ" -C "$TMP"
  [ -f "$TMP/osticket-src/main.inc.php" ] || die "osticket: $TGZ did not unpack to osticket-src/"
  rm -rf "$OST_HOME"; mv "$TMP/osticket-src" "$OST_HOME"; rmdir "$TMP"
  cp "$OST_HOME/include/ost-sampleconfig.php" "$OST_HOME/include/ost-config.php"
  chmod 0666 "$OST_HOME/include/ost-config.php"
  chown -R www-data:www-data "$OST_HOME"
  db_create
  # osTicket's web installer (setup/install.php), driven with curl through a temporary PHP server on :8089
  # (the installer works under `php -S`; the API does not, hence Apache for the real server)
  start-stop-daemon --start --background --make-pidfile --pidfile "$OST_D/setup.pid" --chuid www-data:www-data \
    --chdir "$OST_HOME" --output "$OST_D/setup-server.log" --exec "$OST_PHP" -- -S 127.0.0.1:8089 -t "$OST_HOME"
  trap 'start-stop-daemon --stop --quiet --pidfile "$OST_D/setup.pid" --remove-pidfile >/dev/null 2>&1 || true' EXIT
  wait_http http://127.0.0.1:8089/setup/install.php 60 "$OST_D/setup.pid" >/dev/null || die "osticket: installer server did not come up"
  J=$OST_D/setup.cookies; rm -f "$J"; I=http://127.0.0.1:8089/setup/install.php
  curl -fsS -c "$J" -b "$J" -o /dev/null "$I"
  curl -fsS -c "$J" -b "$J" -o /dev/null -d s=prereq "$I"
  curl -fsS -c "$J" -b "$J" -o /dev/null -d s=config "$I"
  curl -fsS -c "$J" -b "$J" -o "$OST_D/install-result.html" "$I" -d s=install \
    --data-urlencode 'name=Schul-IT Helpdesk' --data-urlencode 'email=helpdesk@schul-it.example.test' \
    --data-urlencode 'fname=Technisches Konto' --data-urlencode 'lname=Administration' \
    --data-urlencode 'admin_email=ostadmin@schul-it.example.test' \
    --data-urlencode "username=$OST_ADMIN" --data-urlencode "passwd=$OST_ADMINPW" --data-urlencode "passwd2=$OST_ADMINPW" \
    --data-urlencode 'prefix=ost_' --data-urlencode 'dbhost=localhost' --data-urlencode "dbname=$OST_DB" \
    --data-urlencode "dbuser=$OST_DBUSER" --data-urlencode "dbpass=$OST_DBPW" --data-urlencode 'lang_id=en_US' \
    --data-urlencode 'timezone=UTC'
  grep -qi 'Congratulations' "$OST_D/install-result.html" || {
    sed 's/<[^>]*>//g' "$OST_D/install-result.html" | grep -iE 'error|required|invalid' | head >&2
    die "osticket: the installer failed ($OST_D/install-result.html)"; }
  start-stop-daemon --stop --quiet --pidfile "$OST_D/setup.pid" --remove-pidfile >/dev/null 2>&1 || true
  trap - EXIT
  rm -f "$J"
  chmod 0644 "$OST_HOME/include/ost-config.php"
  # osTicket nags (and refuses the staff panel) while setup/ is present
  rm -rf "$OST_D/setup.disabled"; mv "$OST_HOME/setup" "$OST_D/setup.disabled"
  # the scenario's objects through osTicket's own model code (departments, teams, agents, statuses, help topics,
  # organisations, users, the ticket form's field "Typ", the export queue, the API key, settings)
  install -m 0644 -o www-data "$HERE/setup.php" "$OST_D/setup.php"
  install -m 0644 -o www-data "$REALSYS_HOME/scenario/scenario.json" "$OST_D/scenario.json"   # setup.php: the schools
  ost_php "$OST_D/setup.php" > "$OST_D/setup.log" 2>&1 || { tail -20 "$OST_D/setup.log" >&2; die "osticket: setup.php failed"; }
  mysqldump -uroot --single-transaction --skip-dump-date "$OST_DB" > "$OST_D/pristine.sql.tmp"
  mv "$OST_D/pristine.sql.tmp" "$OST_D/pristine.sql"
  log "osticket: installed, objects made ($(grep -c . "$OST_D/setup.log") lines in setup.log), pristine dump saved"
fi
sed -e "s|@D@|$OST_D|g" -e "s|@OT@|$OST_HOME|g" "$HERE/httpd.conf.in" > "$OST_D/httpd.conf"
chown www-data "$OST_D/run"
log "osticket: installed"
