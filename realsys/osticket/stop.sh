#!/bin/bash
# Stop osTicket's Apache (its pid file). MariaDB is shared with the other systems (iTop) and keeps running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
stop_pidfile "$OST_D/osticket.pid" osticket
