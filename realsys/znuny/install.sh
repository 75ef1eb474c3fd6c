#!/bin/bash
# Znuny 6.5.9 (LTS) on Debian bookworm: Perl modules, Starman and PostgreSQL 15 from Debian, the Znuny tree from
# the source tarball ../shared/realsys/sources/znuny-6.5.9.tgz (relative to the repository; REALSYS_SOURCES
# overrides), unpacked under $REALSYS_STATE (never into the repository). Idempotent: the tree, the database and
# the scenario's objects (setup.pl) are made once; a template database "znuny_pristine" is kept for re-seeding.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
SOURCES=${REALSYS_SOURCES:-$REALSYS_HOME/../../shared/realsys/sources}
TGZ=$SOURCES/znuny-6.5.9.tgz
ZH=$REALSYS_STATE/znuny-home
DBPW=znunydbpw
install_pkgs postgresql libdbd-pg-perl libdbi-perl \
  libarchive-zip-perl libauthen-sasl-perl libcrypt-eksblowfish-perl libcrypt-jwt-perl libcrypt-openssl-x509-perl \
  libcss-minifier-xs-perl libjavascript-minifier-xs-perl libdata-uuid-perl libtimedate-perl libdatetime-perl \
  libdatetime-timezone-perl libexcel-writer-xlsx-perl libhash-merge-perl libical-parser-perl libio-socket-ssl-perl \
  libjson-xs-perl libwww-perl libmail-imapclient-perl libauthen-ntlm-perl libmoo-perl libnet-dns-perl libnet-ldap-perl \
  libspreadsheet-xlsx-perl libtemplate-perl libtext-diff-formattedhtml-perl libtext-csv-xs-perl libxml-libxml-perl \
  libxml-libxslt-perl libxml-parser-perl libyaml-libyaml-perl libencode-hanextra-perl \
  libplack-perl libcgi-emulate-psgi-perl libmodule-refresh-perl libcgi-pm-perl libcgi-psgi-perl starman \
  curl jq ca-certificates faketime python3 sqlite3
mkdir -p "$REALSYS_STATE/znuny"
id otrs >/dev/null 2>&1 || useradd -r -d "$ZH" -s /bin/bash -g www-data -c 'Znuny user' otrs
if [ ! -f "$ZH/Kernel/Config.pm" ]; then
  [ -f "$TGZ" ] || die "znuny: source tarball missing: $TGZ (REALSYS_SOURCES=dir overrides)"
  SRC=$REALSYS_STATE/znuny-src
  [ -f "$SRC/ARCHIVE" ] || { rm -rf "$SRC"; tar -xzf "$TGZ" -C "$REALSYS_STATE"; }
  [ -f "$SRC/ARCHIVE" ] || die "znuny: $TGZ did not unpack to $SRC"
  rm -rf "$ZH"; mkdir -p "$ZH"
  # exactly the files of the release (listed in ARCHIVE)
  ( cd "$SRC" && awk -F'::' '{print $2}' ARCHIVE | while read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done | tar -cf - -T - ) | tar -xf - -C "$ZH"
  cp "$SRC/ARCHIVE" "$ZH/"
  printf 'PRODUCT = Znuny\nVERSION = %s\n' "$(sed -n 's/^VERSION = //p' "$SRC/RELEASE")" > "$ZH/RELEASE"
  mkdir -p "$ZH"/var/{tmp,article,spool,log,sessions,run}
  sed -e "s|^    \$Self->{Database} = 'otrs';|    \$Self->{Database} = 'znuny';|" \
      -e "s|^    \$Self->{DatabaseUser} = 'otrs';|    \$Self->{DatabaseUser} = 'znuny';|" \
      -e "s|^    \$Self->{DatabasePw} = 'some-pass';|    \$Self->{DatabasePw} = '$DBPW';|" \
      -e 's|^    $Self->{DatabaseDSN} = "DBI:mysql:.*|    $Self->{DatabaseDSN} = "DBI:Pg:dbname=$Self->{Database};host=$Self->{DatabaseHost};";|' \
      -e "s|^    \$Self->{Home} = '/opt/otrs';|    \$Self->{Home} = '$ZH';\n    \$Self->{SecureMode} = 1;\n    \$Self->{SendmailModule} = 'Kernel::System::Email::DoNotSendEmail';\n    \$Self->{'Daemon::SchedulerCronTaskManager::Task'} = {};|" \
      "$ZH/Kernel/Config.pm.dist" > "$ZH/Kernel/Config.pm.new"
  perl "$ZH/bin/otrs.SetPermissions.pl" --otrs-user=otrs --web-group=www-data "$ZH" >/dev/null
  mv "$ZH/Kernel/Config.pm.new" "$ZH/Kernel/Config.pm"; chown otrs:www-data "$ZH/Kernel/Config.pm"
fi
# PostgreSQL 15 (no systemd: pg_ctlcluster)
pg_lsclusters | grep -q '^15 *main' || pg_createcluster 15 main >/dev/null
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='znuny'\"" | grep -q 1 || \
  su postgres -c "psql -qc \"CREATE ROLE znuny LOGIN CREATEDB PASSWORD '$DBPW'\""
ZC() { su otrs -c "$ZH/bin/otrs.Console.pl $*"; }
if ! su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='znuny_pristine'\"" | grep -q 1; then
  su postgres -c "dropdb --if-exists znuny && createdb -O znuny -E UTF8 -T template0 znuny"
  for f in schema initial_insert schema-post; do
    PGPASSWORD=$DBPW psql -q -h 127.0.0.1 -U znuny -d znuny -v ON_ERROR_STOP=1 -f "$ZH/scripts/database/$f.postgresql.sql" >/dev/null
  done
  ZC Maint::Config::Rebuild --cleanup >/dev/null
  for kv in "CheckMXRecord 0" "CheckEmailAddresses 0" "SendmailModule Kernel::System::Email::DoNotSendEmail" \
            "Ticket::Service 1" "Ticket::Type 1" "OTRSTimeZone UTC" "UserDefaultTimeZone UTC"; do
    set -- $kv; ZC Admin::Config::Update --setting-name "$1" --value "$2" >/dev/null
  done
  ZC Admin::User::SetPassword root@localhost rootpw >/dev/null
  ZC Admin::WebService::Add --name GenericTicketConnectorREST --source-path "$HERE/GenericTicketConnectorREST.yml" >/dev/null
  install -m 0644 "$HERE/setup.pl" "$REALSYS_STATE/znuny/setup.pl"
  ( cd "$ZH" && su otrs -c "perl -I$ZH -I$ZH/Kernel/cpan-lib $REALSYS_STATE/znuny/setup.pl" ) > "$REALSYS_STATE/znuny/setup.log" 2>&1 \
    || { tail -20 "$REALSYS_STATE/znuny/setup.log"; die "znuny: setup.pl failed"; }
  ZC Maint::Cache::Delete >/dev/null
  # the pristine copy seed.sh starts from (a template database)
  su postgres -c "createdb -O znuny -T znuny znuny_pristine"
  log "znuny: database, web service and the scenario's objects created"
fi
log "znuny: installed"
