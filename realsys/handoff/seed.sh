#!/bin/bash
# Seed the two-system handoff scenario (handoff/scenario.json) into RT (ours) and Redmine (the vendor's) on top
# of the main scenario; run.sh calls it after the main seeds when both systems are asked for and
# $REALSYS_STATE/handoff/seeded is not current. Leaves both servers STOPPED.
#
# Idempotent and repeatable: the first time it saves both databases as the main seed left them
# ($REALSYS_STATE/handoff/{rt,redmine}-base.db, with the main stamps in base.sha); every later seed restores
# them first, so an interrupted seed is simply done again. A main re-seed (lib/seed-system.sh) drops the stamp
# and the base. Then: RT's ticket custom field "Dienstleister-Ticket" (perl, RT's own API; server stopped), the
# vendor's project and export account in Redmine (redmine-setup.rb), both servers under faketime, seed.py,
# stop; the stamp = sha256 of scenario.json + the main stamps.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
D=$REALSYS_STATE/handoff; mkdir -p "$D"
RT_DB=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb
RM_DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default
"$HERE/../rt/stop.sh" >/dev/null 2>&1 || true
"$HERE/../redmine/stop.sh" >/dev/null 2>&1 || true
rm -f "$D/seeded"
BASE="$(cat "$REALSYS_STATE/rt/seeded")+$(cat "$REALSYS_STATE/redmine/seeded")"
if [ "$(cat "$D/base.sha" 2>/dev/null)" = "$BASE" ]; then
  cp -p "$D/rt-base.db" "$RT_DB"; cp -p "$D/redmine-base.db" "$RM_DB"
  log "handoff: databases restored to the main scenario's"
else
  cp -p "$RT_DB" "$D/rt-base.db"; cp -p "$RM_DB" "$D/redmine-base.db"; echo "$BASE" > "$D/base.sha"
fi
perl -I/usr/share/request-tracker5/lib -e '
use strict; use warnings;
use RT; RT::LoadConfig(); RT::Init();
my $cf = RT::CustomField->new(RT->SystemUser);
$cf->LoadByName(Name => "Dienstleister-Ticket", LookupType => RT::Ticket->CustomFieldLookupType);
unless ($cf->id) {
  my ($ok, $msg) = $cf->Create(Name => "Dienstleister-Ticket", Type => "FreeformSingle",
    LookupType => RT::Ticket->CustomFieldLookupType, Description => "the vendor ticket number");
  $ok or die "custom field: $msg\n";
}
for my $name ("1st Level", "2nd Level", "Vendor Druckerservice", "Vendor MDM") {
  my $q = RT::Queue->new(RT->SystemUser); $q->Load($name); $q->id or die "no queue $name\n";
  next if $cf->IsAdded($q->id);
  my ($ok, $msg) = $cf->AddToObject($q); $ok or die "custom field on $name: $msg\n";
}' || die "handoff: RT custom field failed"
install -m 0644 "$HERE/redmine-setup.rb" "$REALSYS_STATE/redmine/handoff-setup.rb"
su www-data -s /bin/sh -c "cd /usr/share/redmine && RAILS_ENV=production REDMINE_INSTANCE=default bundle exec rails runner $REALSYS_STATE/redmine/handoff-setup.rb" \
  > "$D/redmine-setup.log" 2>&1 || { tail -20 "$D/redmine-setup.log"; die "handoff: redmine-setup.rb failed"; }
sed -n 's/^HANDOFF_KEY=//p' "$D/redmine-setup.log" > "$D/redmine-key"
[ -s "$D/redmine-key" ] || die "handoff: no API key from redmine-setup.rb"
first=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["actions"]; print(a[0]["clock"])' "$HERE/scenario.json")
for s in rt redmine; do
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import seedlib; seedlib.Clock(sys.argv[2]).set(sys.argv[3])' \
    "$HERE/../lib" "$D/$s-faketime.rc" "$first"
  REALSYS_FAKETIME_FILE=$D/$s-faketime.rc "$HERE/../$s/start.sh"
done
if ! python3 "$HERE/seed.py" "$D/rt-faketime.rc" "$D/redmine-faketime.rc" "$D/ids.csv"; then
  "$HERE/../rt/stop.sh" || true; "$HERE/../redmine/stop.sh" || true
  die "handoff: seeding failed"
fi
"$HERE/../rt/stop.sh"; "$HERE/../redmine/stop.sh"
echo "$(sha256sum "$HERE/scenario.json" | cut -d' ' -f1)+$BASE" > "$D/seeded"
