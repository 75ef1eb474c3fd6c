# Sourced by <system>/seed.sh with SYS and either DB (the live SQLite file) and DB_OWNER, or a function reset_db.
# Replays the scenario into a pristine database under faketime and leaves the server STOPPED:
#   stop the server; restore the pristine database (saved by install.sh); start under faketime; seed.py;
#   stop; write $REALSYS_STATE/$SYS/seeded (the scenario's sha256), which run.sh compares to skip a re-seed.
set -euo pipefail
D=$REALSYS_STATE/$SYS
"$HERE/stop.sh" >/dev/null 2>&1 || true
# a main re-seed starts from the pristine database: the handoff scenario (handoff/seed.sh) and its base go too
rm -f "$D/seeded" "$REALSYS_STATE/handoff/seeded" "$REALSYS_STATE/handoff/base.sha"
if declare -F reset_db >/dev/null; then
  reset_db
else
  [ -f "$D/pristine.db" ] || die "$SYS: no pristine database ($D/pristine.db); run $SYS/install.sh"
  cp "$D/pristine.db" "$DB"; chown "$DB_OWNER" "$DB"; chmod 660 "$DB"
fi
FT=$D/faketime.rc
python3 - "$FT" <<'PY'
import json, sys, os
sys.path.insert(0, os.environ["REALSYS_HOME"] + "/lib")
import seedlib
doc = seedlib.load()
seedlib.Clock(sys.argv[1]).set(seedlib.replay_order(doc)[0][2]["at"])
PY
REALSYS_FAKETIME_FILE=$FT "$HERE/start.sh"
if ! python3 "$HERE/seed.py" "$FT" "$D/ids.csv"; then
  "$HERE/stop.sh" || true
  die "$SYS: seeding failed (server log: $D/server.log)"
fi
"$HERE/stop.sh"
if [ -x "$HERE/post-seed.sh" ]; then "$HERE/post-seed.sh"; fi
sha256sum "$REALSYS_HOME/scenario/scenario.json" | cut -d' ' -f1 > "$D/seeded"
