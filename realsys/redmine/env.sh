#!/bin/bash
# The lines of $REALSYS_OUT/env.sh for Redmine (run.sh calls this while Redmine runs).
echo "export REDMINE_URL=http://127.0.0.1:3005"
echo "export REDMINE_USER=admin REDMINE_PASSWORD=admin12345"
echo "export REDMINE_API_KEY='$(sed -n 's/^API_KEY=//p' "$REALSYS_STATE/redmine/keys")'"
echo "export REDMINE_FETCH_KEY='$(sed -n 's/^FETCH_KEY=//p' "$REALSYS_STATE/redmine/keys")'"
echo "export REDMINE_EXPORT='$REALSYS_OUT/redmine'"
