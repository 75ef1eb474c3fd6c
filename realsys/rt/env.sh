#!/bin/bash
# The lines of $REALSYS_OUT/env.sh for RT (run.sh calls this while RT runs).
echo "export RT_URL=http://127.0.0.1:8085"
echo "export RT_USER=root RT_PASSWORD='${RT_ROOT_PW:-password}'"
echo "export RT_FETCH_USER=kennzahl RT_FETCH_PASSWORD=realsys-fetch"
[ -s "$REALSYS_STATE/rt/token" ] && echo "export RT_TOKEN='$(cat "$REALSYS_STATE/rt/token")'"
echo "export RT_EXPORT='$REALSYS_OUT/rt'"
