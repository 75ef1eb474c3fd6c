#!/bin/bash
# iTop 3.2.0 (Combodo) on Debian bookworm: PHP 8.2 and MariaDB from Debian, the iTop tree (with its bundled PHP
# libraries) from the source tarball ../shared/realsys/sources/itop-3.2.0.tgz (relative to the repository;
# REALSYS_SOURCES overrides), unpacked under $REALSYS_STATE/itop-home (never into the repository), plus the
# lifecycle delta extension/realsys-schul-it (README: why). Unattended CLI setup (Simple Ticket Management:
# UserRequest with request types incident and service_request; service management; no CMDB extras), time zone
# UTC, then the scenario's objects through iTop's REST API (setup.py) with the server on the real clock.
# Idempotent: made once (stamp $REALSYS_STATE/itop/installed = hash of the inputs); the dump
# $REALSYS_STATE/itop/pristine.sql is the reset point of seed.sh. MariaDB is shared (osTicket): started if it
# does not answer, never stopped; only the database "itop" is touched.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
SOURCES=${REALSYS_SOURCES:-$REALSYS_HOME/../../shared/realsys/sources}
TGZ=$SOURCES/itop-3.2.0.tgz
itop_apt mariadb-server mariadb-client php8.2-cli php8.2-mysql php8.2-gd php8.2-xml php8.2-soap php8.2-zip \
  php8.2-mbstring php8.2-curl php8.2-intl php8.2-ldap php8.2-apcu graphviz curl jq ca-certificates faketime \
  python3 util-linux
mkdir -p "$ITOP_D"
mariadb_up

# what the installation is made from: a change of any of these installs again
STAMP=$( { sha256sum "$TGZ" | cut -d' ' -f1; cat "$HERE/install.sh" "$HERE/lib.sh" "$HERE/setup.py" "$HERE"/extension/realsys-schul-it/*; } | sha256sum | cut -d' ' -f1)
db_exists() { [ "$(mysql -uroot -N -e "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='$ITOP_DB'")" = 1 ]; }

if [ "$(cat "$ITOP_D/installed" 2>/dev/null)" = "$STAMP" ] && [ -f "$ITOP_D/pristine.sql" ] \
   && [ -f "$ITOP_HOME/conf/production/config-itop.php" ]; then
  if ! db_exists; then   # the database was dropped: back to the pristine state
    itop_db_create; mysql -uroot "$ITOP_DB" < "$ITOP_D/pristine.sql"; rm -f "$ITOP_D/seeded"
    log "itop: database restored from pristine.sql"
  fi
  log "itop: installed"; exit 0
fi

[ -f "$TGZ" ] || die "itop: source tarball missing: $TGZ (REALSYS_SOURCES=dir overrides)"
"$HERE/stop.sh" >/dev/null 2>&1 || true
rm -f "$ITOP_D/installed" "$ITOP_D/pristine.sql" "$ITOP_D/seeded"
TMP=$REALSYS_STATE/itop-unpack; rm -rf "$TMP"; mkdir -p "$TMP"
tar -xzf "$TGZ" -C "$TMP"
[ -f "$TMP/itop-src/approot.inc.php" ] || die "itop: $TGZ did not unpack to itop-src/"
rm -rf "$ITOP_HOME"; mv "$TMP/itop-src" "$ITOP_HOME"; rmdir "$TMP"
mkdir -p "$ITOP_HOME/extensions"
cp -r "$HERE/extension/realsys-schul-it" "$ITOP_HOME/extensions/"
chown -R www-data:www-data "$ITOP_HOME"
itop_db_create

# the setup's answers (iTop's own format, as its wizard writes them into log/install-*.xml)
cat > "$ITOP_D/setup.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<installation>
  <mode>install</mode>
  <preinstall></preinstall>
  <source_dir>datamodels/2.x/</source_dir>
  <datamodel_version>3.2.0</datamodel_version>
  <previous_configuration_file></previous_configuration_file>
  <extensions_dir>extensions</extensions_dir>
  <target_env>production</target_env>
  <workspace_dir></workspace_dir>
  <database>
    <server>localhost</server><user>$ITOP_DBUSER</user><pwd>$ITOP_DBPW</pwd><name>$ITOP_DB</name>
    <db_tls_enabled></db_tls_enabled><db_tls_ca></db_tls_ca><prefix></prefix>
  </database>
  <url>http://127.0.0.1:$ITOP_PORT/</url>
  <graphviz_path>/usr/bin/dot</graphviz_path>
  <admin_account><user>$ITOP_ADMIN</user><pwd>$ITOP_ADMINPW</pwd><language>EN US</language></admin_account>
  <language>EN US</language>
  <selected_modules type="array"></selected_modules>
  <selected_extensions type="array">
    <item>itop-config-mgmt-core</item>
    <item>itop-service-mgmt-enterprise</item>
    <item>itop-ticket-mgmt-simple-ticket</item>
    <item>itop-change-mgmt-none</item>
  </selected_extensions>
  <sample_data>0</sample_data>
  <old_addon></old_addon>
  <options type="array"/>
  <mysql_bindir></mysql_bindir>
</installation>
XML
chmod 644 "$ITOP_D/setup.xml"
( cd "$ITOP_HOME/setup/unattended-install" && setpriv --reuid=www-data --regid=www-data --init-groups \
    "$ITOP_PHP" -d memory_limit=1024M unattended-install.php --param-file="$ITOP_D/setup.xml" \
    --installation_xml="$ITOP_HOME/datamodels/2.x/installation.xml" ) > "$ITOP_D/setup.log" 2>&1 \
  || { tail -30 "$ITOP_D/setup.log" >&2; die "itop: unattended setup failed (log: $ITOP_D/setup.log)"; }
grep -q "waiting_for_vendor" "$ITOP_HOME/env-production/itop-request-mgmt/model.itop-request-mgmt.php" \
  || die "itop: the compiled model lacks the extension realsys-schul-it (log: $ITOP_D/setup.log)"
# store and show every date in UTC (iTop's default zone is Europe/Paris)
CFG=$ITOP_HOME/conf/production/config-itop.php
chmod u+w "$CFG"
sed -i "s|'timezone' => '[^']*'|'timezone' => 'UTC'|" "$CFG"
grep -q "'timezone' => 'UTC'" "$CFG" || die "itop: could not set the time zone in $CFG"
chmod a-w "$CFG"

# REST needs the profile "REST Services User" (secure_rest_services stays on), the administrator too: granted
# in the database once (the setup gives admin only "Administrator")
itop_sql "INSERT IGNORE INTO priv_urp_userprofile (userid, profileid, description)
  SELECT u.id, p.id, 'realsys: REST' FROM priv_user u JOIN priv_urp_profiles p ON p.name = 'REST Services User'
  WHERE u.login = '$ITOP_ADMIN'"
# the scenario's objects through the REST API, server on the real clock
"$HERE/start.sh"
if ! python3 "$HERE/setup.py" > "$ITOP_D/objects.log" 2>&1; then
  tail -20 "$ITOP_D/objects.log" >&2; "$HERE/stop.sh" || true; die "itop: setup.py failed (log: $ITOP_D/objects.log)"
fi
"$HERE/stop.sh"
mysqldump -uroot --single-transaction --skip-dump-date "$ITOP_DB" > "$ITOP_D/pristine.sql"
echo "$STAMP" > "$ITOP_D/installed"
log "itop: installed (setup, extension realsys-schul-it, objects); pristine dump $ITOP_D/pristine.sql"
