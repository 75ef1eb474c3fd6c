# iTop's shell helpers (sourced by the scripts of this folder, after lib/common.sh).
# MariaDB is shared with other systems of the harness (osTicket): it is started when it does not answer, never
# stopped, and only the database "itop" (user 'itop'@'localhost') is ever touched.
ITOP_HOME=$REALSYS_STATE/itop-home   # the iTop tree (webroot), unpacked from the tarball, with extensions/realsys-schul-it
ITOP_D=$REALSYS_STATE/itop           # pid file, logs, setup answers, pristine dump, ids, faketime file
ITOP_PORT=8087
ITOP_DB=itop
ITOP_DBUSER=itop
ITOP_DBPW=itopdbpw
ITOP_ADMIN=admin
ITOP_ADMINPW='realsys-Admin1!'
ITOP_AGENTPW='realsys-Agent1!'       # l1-agent, l2-agent, vendor-druck, vendor-mdm
ITOP_FETCH=kennzahl
ITOP_FETCHPW='realsys-Fetch1!'
ITOP_PHP=/usr/bin/php8.2

# itop_apt P...: apt-get install the missing packages, waiting for the dpkg lock (another helper may be installing)
itop_apt() {
  local miss i
  miss=$(missing_pkgs "$@")
  [ -z "$miss" ] && return 0
  if [ -z "${REALSYS_APT_UPDATED:-}" ] && [ ! -f "${REALSYS_APT_STAMP:-/nonexistent}" ]; then
    log "apt-get update"
    for i in 1 2 3 4 5; do   # the lists lock may be held by another apt-get update
      apt-get -o DPkg::Lock::Timeout=600 update -qq && break
      [ $i = 5 ] && die "apt-get update failed"; sleep 20
    done
    export REALSYS_APT_UPDATED=1
    [ -n "${REALSYS_APT_STAMP:-}" ] && touch "$REALSYS_APT_STAMP"
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $miss \
    || die "apt-get install failed: $miss"
}


# itop_sql QUERY: SQL as MariaDB's root on the itop database (tab-separated, no header)
itop_sql() { mysql -uroot --batch --skip-column-names "$ITOP_DB" -e "$1"; }

# itop_db_create: (re)create the empty database and its user
itop_db_create() {
  mysql -uroot <<SQL
DROP DATABASE IF EXISTS \`$ITOP_DB\`;
CREATE DATABASE \`$ITOP_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$ITOP_DBUSER'@'localhost' IDENTIFIED BY '$ITOP_DBPW';
ALTER USER '$ITOP_DBUSER'@'localhost' IDENTIFIED BY '$ITOP_DBPW';
GRANT ALL PRIVILEGES ON \`$ITOP_DB\`.* TO '$ITOP_DBUSER'@'localhost';
FLUSH PRIVILEGES;
SQL
}

# itop_php ARGS...: PHP as www-data in the iTop tree (CLI tools: unattended setup, export-v2.php)
itop_php() { ( cd "$ITOP_HOME" && setpriv --reuid=www-data --regid=www-data --init-groups "$ITOP_PHP" -d memory_limit=1024M "$@" ); }
