#!/bin/bash
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
stop_pidfile "$REALSYS_STATE/redmine/redmine.pid" redmine
