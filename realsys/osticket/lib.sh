# osTicket's shell helpers (sourced by the scripts of this folder, after lib/common.sh).
# MariaDB is shared with other systems of the harness (iTop): it is started when it does not answer, never
# stopped, and only the database "osticket" (user 'osticket'@'localhost') is ever touched.
OST_HOME=$REALSYS_STATE/osticket-home        # the osTicket tree (webroot), unpacked from the tarball
OST_D=$REALSYS_STATE/osticket                # pid file, logs, Apache config, pristine dump, ids, seed log
OST_PORT=8088
OST_DB=osticket
OST_DBUSER=osticket
OST_DBPW=ostdbpw
OST_ADMIN=ostadmin                           # osTicket refuses the name "admin"
OST_ADMINPW='realsys-Admin1'
OST_APIKEY=REALSYS0123456789ABCDEF0123456789 # API key for 127.0.0.1 (ticket creation only: osTicket's API)
OST_PHP=/usr/bin/php8.2

# ost_apt P...: apt-get install the missing packages, waiting for the dpkg lock (another helper may be installing)
ost_apt() {
  local miss
  miss=$(missing_pkgs "$@")
  [ -z "$miss" ] && return 0
  if [ -z "${REALSYS_APT_UPDATED:-}" ] && [ ! -f "${REALSYS_APT_STAMP:-/nonexistent}" ]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update failed"
    export REALSYS_APT_UPDATED=1
    [ -n "${REALSYS_APT_STAMP:-}" ] && touch "$REALSYS_APT_STAMP"
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $miss \
    || die "apt-get install failed: $miss"
}


# ost_php FILE ARGS...: run a PHP file against the osTicket tree as www-data (osTicket's own code from the CLI)
ost_php() { ( cd "$OST_HOME" && setpriv --reuid=www-data --regid=www-data --init-groups env OST_HOME="$OST_HOME" "$OST_PHP" -d apc.enable_cli=1 "$@" ); }
