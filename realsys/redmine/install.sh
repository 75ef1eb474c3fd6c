#!/bin/bash
# Redmine 5.0 (Debian bookworm: redmine redmine-sqlite) with SQLite, unattended, plus libfaketime.
# Idempotent: apt only for missing packages. The REST API and the admin's API key are set by setup.rb
# (run by start.sh once the database exists).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
preseed <<SEL
redmine redmine/current-instances string default
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/db/dbname string redmine_default
redmine redmine/instances/default/db/basepath string /var/lib/dbconfig-common/sqlite3/redmine/instances/default
redmine redmine/instances/default/default-language select en
SEL
install_pkgs redmine redmine-sqlite sqlite3 curl jq ca-certificates faketime python3
# Debian's Gemfile has no app server; WEBrick (ruby-webrick, a dependency) is enabled via Gemfile.local
grep -qs webrick /usr/share/redmine/Gemfile.local || echo 'gem "webrick"' >> /usr/share/redmine/Gemfile.local
# rails server insists on creating ./tmp/{cache,pids,sockets}; Debian keeps tmp under /var/cache
[ -e /usr/share/redmine/tmp ] || ln -s /var/cache/redmine/default/tmp /usr/share/redmine/tmp
# The scenario's projects (schools), groups (queues), technical accounts, trackers, statuses, categories
# and workflows; the REST API; the admin's and the read-only account's API keys -> $REALSYS_STATE/redmine/keys
mkdir -p "$REALSYS_STATE/redmine"; chown www-data "$REALSYS_STATE/redmine"
install -m 0644 "$HERE/setup.rb" "$REALSYS_STATE/redmine/setup.rb"
su www-data -s /bin/sh -c "cd /usr/share/redmine && RAILS_ENV=production REDMINE_INSTANCE=default bundle exec rails runner $REALSYS_STATE/redmine/setup.rb" \
  > "$REALSYS_STATE/redmine/setup.log" 2>&1 || { tail -20 "$REALSYS_STATE/redmine/setup.log"; die "redmine: setup.rb failed"; }
grep -E '^(API|FETCH)_KEY=' "$REALSYS_STATE/redmine/setup.log" > "$REALSYS_STATE/redmine/keys"
[ "$(wc -l < "$REALSYS_STATE/redmine/keys")" = 2 ] || die "redmine: no API keys from setup.rb"
log "redmine: projects, groups, accounts and workflows set up"
# the pristine database (objects, no issues) that seed.sh starts from
DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default
if [ ! -f "$REALSYS_STATE/redmine/pristine.db" ]; then
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM issues")" = 0 ] || die "redmine: no pristine database saved and Redmine already has issues; reinstall Redmine's database"
  cp "$DB" "$REALSYS_STATE/redmine/pristine.db"
fi
log "redmine: installed"
