-- Tickets: the later snapshot of a ticket wins (updated_at; without it, the later row of the
-- import). A snapshot equal to the workspace's, or older than it, counts as merged.
CREATE OR REPLACE TEMP TABLE _t AS
SELECT *, row_number() OVER (PARTITION BY source, ticket_id ORDER BY updated_at DESC NULLS LAST, _input DESC, _line DESC) AS _rn
FROM stg_tickets;
CREATE OR REPLACE TEMP TABLE _tw AS
SELECT t.* FROM _t t
WHERE t._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM tickets x WHERE x.source = t.source AND x.ticket_id = t.ticket_id
      AND ((x.updated_at > t.updated_at)
        OR (x.type = t.type AND x.priority IS NOT DISTINCT FROM t.priority AND x.priority_raw IS NOT DISTINCT FROM t.priority_raw
            AND x.service = t.service AND x.category_raw IS NOT DISTINCT FROM t.category_raw AND x.school_id IS NOT DISTINCT FROM t.school_id
            AND x.channel IS NOT DISTINCT FROM t.channel AND x.requester_role IS NOT DISTINCT FROM t.requester_role
            AND x.created_at = t.created_at AND x.status = t.status AND x.status_raw IS NOT DISTINCT FROM t.status_raw
            AND x.satisfaction IS NOT DISTINCT FROM t.satisfaction AND x.effort_minutes IS NOT DISTINCT FROM t.effort_minutes
            AND x.updated_at IS NOT DISTINCT FROM t.updated_at AND x.authority_id IS NOT DISTINCT FROM t.authority_id)));
-- Per file: the winning rows that change the workspace are imported, every other row merged.
INSERT INTO _outcome
SELECT _input, count(*), -count(*) FROM _tw GROUP BY _input;
INSERT INTO _outcome
SELECT _input, 0, count(*) FROM _t GROUP BY _input;
INSERT INTO _touched_tickets SELECT source, ticket_id FROM _tw;
DELETE FROM tickets x USING _tw w WHERE x.source = w.source AND x.ticket_id = w.ticket_id;
INSERT INTO tickets SELECT source, ticket_id, type, priority, priority_raw, service, category_raw, school_id, channel,
       requester_role, created_at, status, status_raw, satisfaction, effort_minutes, updated_at, authority_id FROM _tw;
DROP TABLE _t;
DROP TABLE _tw;
