-- Events whose only input already came in the documented order with seq 1, 2, 3, … per
-- ticket and no exact duplicates (checked while staging, src/import/stage.rs OrderCheck, or
-- by events_dups.sql):
-- the ordering window would give every row its own seq, so the numbered view takes it as it
-- is instead of sorting millions of rows.
CREATE TEMP TABLE IF NOT EXISTS _drop (_input INTEGER, _line BIGINT);
CREATE OR REPLACE TEMP VIEW _ev AS
SELECT e.source, e.ticket_id, e.seq, e.event_at, e.kind, e.status_class, e.status_raw, e.group_name,
       e.actor_group, e.agent, e.value, e.ref, e._input
FROM stg_events e
SEMI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id;
