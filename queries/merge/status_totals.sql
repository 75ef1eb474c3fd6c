-- Status totals: a ticket's totals are replaced as a whole by the import's (the later export
-- wins); within the import the last row of a (ticket, status) wins.
CREATE OR REPLACE TEMP TABLE _st AS
SELECT *, row_number() OVER (PARTITION BY source, ticket_id, status_raw ORDER BY _input DESC, _line DESC) AS _rn FROM stg_status_totals;
INSERT INTO _outcome
SELECT s._input,
       count(*) FILTER (WHERE s._rn = 1 AND NOT EXISTS (
           SELECT 1 FROM status_totals x WHERE x.source = s.source AND x.ticket_id = s.ticket_id
             AND x.status_raw = s.status_raw AND x.entries IS NOT DISTINCT FROM s.entries
             AND x.seconds IS NOT DISTINCT FROM s.seconds)),
       count(*) FILTER (WHERE s._rn > 1 OR EXISTS (
           SELECT 1 FROM status_totals x WHERE x.source = s.source AND x.ticket_id = s.ticket_id
             AND x.status_raw = s.status_raw AND x.entries IS NOT DISTINCT FROM s.entries
             AND x.seconds IS NOT DISTINCT FROM s.seconds))
FROM _st s GROUP BY s._input;
DELETE FROM status_totals x USING (SELECT DISTINCT source, ticket_id FROM _st) t
WHERE x.source = t.source AND x.ticket_id = t.ticket_id;
INSERT INTO status_totals SELECT source, ticket_id, status_raw, entries, seconds FROM _st WHERE _rn = 1;
DROP TABLE _st;
