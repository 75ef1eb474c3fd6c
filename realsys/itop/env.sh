#!/bin/bash
# The lines of $REALSYS_OUT/env.sh for iTop (run.sh calls this while iTop runs).
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"; . "$HERE/lib.sh"
echo "export ITOP_URL=http://127.0.0.1:$ITOP_PORT"
echo "export ITOP_USER=$ITOP_ADMIN ITOP_PASSWORD='$ITOP_ADMINPW'"
echo "export ITOP_FETCH_USER=$ITOP_FETCH ITOP_FETCH_PASSWORD='$ITOP_FETCHPW'"
echo "export ITOP_EXPORT='$REALSYS_OUT/itop'"
