# Shared helpers of the realsys harness (sourced, not run).
# REALSYS_STATE: where the running systems keep pid files, logs, keys (outside the repo).
REALSYS_STATE=${REALSYS_STATE:-/opt/realsys}; export REALSYS_STATE
REALSYS_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); export REALSYS_HOME
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

die() { echo "realsys: error: $*" >&2; exit 1; }
log() { echo "realsys: $*" >&2; }

# missing_pkgs P...: prints the packages of the list that are not installed
missing_pkgs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# install_pkgs P...: apt-get install the missing ones; `apt-get update` once per run.sh run (the stamp file
# REALSYS_APT_STAMP, set by run.sh, says it ran) or once per script when run alone
install_pkgs() {
  local miss
  miss=$(missing_pkgs "$@")
  [ -z "$miss" ] && return 0
  if [ -z "${REALSYS_APT_UPDATED:-}" ] && [ ! -f "${REALSYS_APT_STAMP:-/nonexistent}" ]; then
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed"
    export REALSYS_APT_UPDATED=1
    [ -n "${REALSYS_APT_STAMP:-}" ] && touch "$REALSYS_APT_STAMP"
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $miss || die "apt-get install failed: $miss"
}

# wait_http URL SECONDS PIDFILE [curl args...]: waits until URL answers 2xx; fails early when the pid dies
wait_http() {
  local url=$1 secs=$2 pidf=$3 i; shift 3
  for ((i = 1; i <= secs; i++)); do
    if curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; then echo "$i"; return 0; fi
    if [ -f "$pidf" ] && ! kill -0 "$(cat "$pidf")" 2>/dev/null; then return 1; fi
    sleep 1
  done
  return 1
}

# stop_pidfile FILE NAME: TERM the process of the pid file, wait for it, KILL after 20 s
stop_pidfile() {
  local f=$1 name=$2 pid i
  [ -f "$f" ] || { log "$name: not running (no $f)"; return 0; }
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$f"
  log "$name: stopped"
}

# preseed < selections: debconf-set-selections; a debconf database left inconsistent by an earlier purge
# ("Cannot find a question for …") is repaired with debconf's fix_db.pl and the selections set again
preseed() {
  local sel
  sel=$(cat)
  if ! printf '%s\n' "$sel" | debconf-set-selections 2>/dev/null; then
    log "debconf: repairing the database (fix_db.pl)"
    /usr/share/debconf/fix_db.pl >/dev/null 2>&1 || true
    printf '%s\n' "$sel" | debconf-set-selections || die "debconf-set-selections failed"
  fi
}

# mariadb_up: start the shared MariaDB (osTicket, iTop) if it does not answer; never restarted or stopped by a
# system. Its own session (setsid): Debian's init script leaves mysqld_safe in the caller's process group, which a
# finished job or shell takes down with it.
mariadb_up() {
  local i
  mysqladmin --silent ping >/dev/null 2>&1 && return 0
  log "mariadb: starting (shared with the other systems; it stays up)"
  setsid -f /etc/init.d/mariadb start >/dev/null 2>&1 || true   # a concurrent start by another system is fine
  for i in $(seq 1 60); do mysqladmin --silent ping >/dev/null 2>&1 && return 0; sleep 1; done
  die "mariadb did not come up"
}
