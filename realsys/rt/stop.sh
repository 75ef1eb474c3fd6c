#!/bin/bash
# Stop RT's standalone server (the Starlet master ends its prefork workers on SIGTERM).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
stop_pidfile "$REALSYS_STATE/rt/rt.pid" rt
