#!/bin/bash
# After seeding (server stopped): every instant iTop recorded is truncated to the minute (post-seed.py). The scripted
# instants are whole minutes and seed.py checked that no call took 50 s or more (from writing the faked clock to the
# answer), so each recorded instant lies in [scripted, scripted + 50 s) and its minute is the scripted instant.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
mariadb_up
python3 "$HERE/post-seed.py" | tee "$ITOP_D/post-seed.log" >&2
