#!/bin/bash
# After seeding (server stopped): an RT auth token for the read-only account "kennzahl" (REST2:
# "Authorization: token <TOKEN>") -> $REALSYS_STATE/rt/token. Created anew after every seed (seed.sh starts
# from the pristine database).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
perl -I/usr/share/request-tracker5/lib -e '
use strict; use warnings;
use RT; RT::LoadConfig(); RT::Init();
my $u = RT::User->new(RT->SystemUser); $u->Load("kennzahl"); $u->id or die "no user kennzahl\n";
my $t = RT::AuthToken->new(RT->SystemUser);
my ($ok, $msg, $auth) = $t->Create(Owner => $u->id, Description => "kennzahl fetch (realsys)");
$ok or die "token: $msg\n";
print "$auth\n";' 2>"$REALSYS_STATE/rt/token.log" > "$REALSYS_STATE/rt/token" || { cat "$REALSYS_STATE/rt/token.log" >&2; die "rt: creating the auth token failed"; }
log "rt: auth token for kennzahl -> $REALSYS_STATE/rt/token"
