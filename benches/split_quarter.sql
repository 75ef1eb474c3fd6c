-- Split a canonical export at a cutoff instant into two canonical sets (issue 18, the next
-- quarter's import): `base`, the export as it would have looked at the cutoff, and `next`,
-- the export a ticket system's "changed since the cutoff" gives. Importing base and then
-- next must give the workspace importing the whole export gives (benches/scale.sh checks it
-- at 1M tickets, tests/import.rs on the 20k demo).
--
-- Run by benches/split_quarter.py and by the integration test, after replacing
-- {SRC} (folder of the canonical files), {OUT} (folder that holds base/ and next/, both
-- existing) and {CUTOFF} (an ISO instant in UTC, e.g. 2026-07-01 00:00:00).
-- Columns are read as text and written back unchanged where they are kept, so the rows of
-- next are byte for byte those of the export.
--
-- What "as at the cutoff" means per file:
--   * tickets: those created before the cutoff. A ticket with no event at or after the
--     cutoff is its full row; every other one shows its state at the cutoff: the status
--     (and its raw label) set by its last status-setting event before the cutoff, a
--     satisfaction score only when it was resolved or closed by then, the effort as the sum
--     of its effort events before the cutoff. updated_at is the cutoff minus one second
--     (the base export's instant), so the next export's snapshot is the later one.
--   * events: those before the cutoff, of base's tickets.
--   * changes: those created before the cutoff, with the actual start, actual end and
--     closing that came later (and the outcome of a change closed later) left empty.
--   * outages: those that ended before the cutoff (outages have no key: a still open
--     outage in base could not be replaced by next's ended row, so it comes with next).
--   * schools: the register as it is (both sets).
-- next holds every ticket created or changed (an event) at or after the cutoff with its
-- full row and its complete history (so base's open tickets come again, complete), every
-- change created or changed at or after the cutoff, and the outages base does not hold.

CREATE OR REPLACE TEMP TABLE s_t AS SELECT * FROM read_csv('{SRC}/tickets.csv.gz', all_varchar = true, header = true);
CREATE OR REPLACE TEMP TABLE s_e AS SELECT * FROM read_csv('{SRC}/events.csv.gz', all_varchar = true, header = true);
CREATE OR REPLACE TEMP TABLE s_c AS SELECT * FROM read_csv('{SRC}/changes.csv', all_varchar = true, header = true);
CREATE OR REPLACE TEMP TABLE s_o AS SELECT * FROM read_csv('{SRC}/outages.csv', all_varchar = true, header = true);

-- Tickets created or changed at or after the cutoff: they come with next.
CREATE OR REPLACE TEMP TABLE s_changed AS
SELECT source, ticket_id FROM s_t WHERE created_at::TIMESTAMP >= TIMESTAMP '{CUTOFF}'
UNION
SELECT DISTINCT source, ticket_id FROM s_e WHERE event_at::TIMESTAMP >= TIMESTAMP '{CUTOFF}';

-- The state at the cutoff of the changed tickets created before it.
CREATE OR REPLACE TEMP TABLE s_state AS
SELECT source, ticket_id,
       arg_max(CASE kind WHEN 'created' THEN 'new' WHEN 'status' THEN status_class
                         WHEN 'resolved' THEN coalesce(status_class, 'resolved')
                         WHEN 'closed' THEN coalesce(status_class, 'closed')
                         WHEN 'reopened' THEN coalesce(status_class, 'open') END,
               seq::INTEGER) FILTER (WHERE kind IN ('created', 'status', 'resolved', 'closed', 'reopened')) AS status,
       arg_max(CASE WHEN kind = 'created' THEN 'new' ELSE coalesce(status_raw, status_class) END,
               seq::INTEGER) FILTER (WHERE kind IN ('created', 'status', 'resolved', 'closed', 'reopened')) AS status_raw,
       sum(value::DOUBLE) FILTER (WHERE kind = 'effort') AS effort
FROM s_e
WHERE event_at::TIMESTAMP < TIMESTAMP '{CUTOFF}'
GROUP BY ALL;

COPY (
    SELECT t.* REPLACE (
               coalesce(s.status, 'new') AS status,
               coalesce(s.status_raw, 'new') AS status_raw,
               CASE WHEN coalesce(s.status, 'new') IN ('resolved', 'closed') THEN t.satisfaction END AS satisfaction,
               s.effort::VARCHAR AS effort_minutes,
               strftime(TIMESTAMP '{CUTOFF}' - INTERVAL 1 SECOND, '%Y-%m-%dT%H:%M:%SZ') AS updated_at)
    FROM s_t t SEMI JOIN s_changed c USING (source, ticket_id)
    LEFT JOIN s_state s USING (source, ticket_id)
    WHERE t.created_at::TIMESTAMP < TIMESTAMP '{CUTOFF}'
    UNION ALL
    SELECT t.* REPLACE (strftime(TIMESTAMP '{CUTOFF}' - INTERVAL 1 SECOND, '%Y-%m-%dT%H:%M:%SZ') AS updated_at)
    FROM s_t t ANTI JOIN s_changed c USING (source, ticket_id)
    ORDER BY source, ticket_id
) TO '{OUT}/base/tickets.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

COPY (
    SELECT e.* FROM s_e e
    SEMI JOIN (SELECT source, ticket_id FROM s_t WHERE created_at::TIMESTAMP < TIMESTAMP '{CUTOFF}') t
         ON t.source = e.source AND t.ticket_id = e.ticket_id
    WHERE e.event_at::TIMESTAMP < TIMESTAMP '{CUTOFF}'
    ORDER BY e.source, e.ticket_id, e.seq::INTEGER
) TO '{OUT}/base/events.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

COPY (
    SELECT t.* FROM s_t t SEMI JOIN s_changed c USING (source, ticket_id) ORDER BY source, ticket_id
) TO '{OUT}/next/tickets.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

COPY (
    SELECT e.* FROM s_e e SEMI JOIN s_changed c USING (source, ticket_id) ORDER BY e.source, e.ticket_id, e.seq::INTEGER
) TO '{OUT}/next/events.csv.gz' (FORMAT csv, HEADER, COMPRESSION gzip);

COPY (
    SELECT c.* REPLACE (
               CASE WHEN c.actual_start::TIMESTAMP < TIMESTAMP '{CUTOFF}' THEN c.actual_start END AS actual_start,
               CASE WHEN c.actual_end::TIMESTAMP < TIMESTAMP '{CUTOFF}' THEN c.actual_end END AS actual_end,
               CASE WHEN c.closed_at::TIMESTAMP < TIMESTAMP '{CUTOFF}' THEN c.closed_at END AS closed_at,
               CASE WHEN c.closed_at::TIMESTAMP < TIMESTAMP '{CUTOFF}' THEN c.outcome END AS outcome)
    FROM s_c c WHERE c.created_at::TIMESTAMP < TIMESTAMP '{CUTOFF}'
    ORDER BY source, change_id
) TO '{OUT}/base/changes.csv' (FORMAT csv, HEADER);

COPY (
    SELECT * FROM s_c
    WHERE greatest(created_at::TIMESTAMP, actual_start::TIMESTAMP, actual_end::TIMESTAMP, closed_at::TIMESTAMP)
          >= TIMESTAMP '{CUTOFF}'
    ORDER BY source, change_id
) TO '{OUT}/next/changes.csv' (FORMAT csv, HEADER);

COPY (
    SELECT * FROM s_o WHERE end_at::TIMESTAMP < TIMESTAMP '{CUTOFF}'
) TO '{OUT}/base/outages.csv' (FORMAT csv, HEADER);

COPY (
    SELECT * FROM s_o WHERE end_at IS NULL OR end_at::TIMESTAMP >= TIMESTAMP '{CUTOFF}'
) TO '{OUT}/next/outages.csv' (FORMAT csv, HEADER);

COPY (SELECT * FROM read_csv('{SRC}/schools.csv', all_varchar = true, header = true)) TO '{OUT}/base/schools.csv' (FORMAT csv, HEADER);
COPY (SELECT * FROM read_csv('{SRC}/schools.csv', all_varchar = true, header = true)) TO '{OUT}/next/schools.csv' (FORMAT csv, HEADER);

DROP TABLE s_t;
DROP TABLE s_e;
DROP TABLE s_c;
DROP TABLE s_o;
DROP TABLE s_changed;
DROP TABLE s_state;
