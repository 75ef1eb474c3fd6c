#!/bin/bash
# After seeding (server stopped): backdate the rows osTicket's API wrote with the real clock (the creations) to the
# scripted instants, from seed.py's record, and check that every date of every ticket equals the script
# (backdate.py; the proof is in $REALSYS_STATE/osticket/backdate.log).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
mariadb_up
python3 "$HERE/backdate.py" "$OST_D/actions.jsonl" | tee "$OST_D/backdate.log" >&2 || die "osticket: backdating or its check failed"
