-- Vendor tickets (a vendor's own export): as tickets, the later snapshot of a ticket wins
-- (updated_at; without it, the later row of the import); a snapshot equal to the
-- workspace's, or older than it, counts as merged. The links their reference column makes
-- are rebuilt after every import (src/links.rs), not here: our tickets may come later.
CREATE OR REPLACE TEMP TABLE _v AS
SELECT *, row_number() OVER (PARTITION BY source, ticket_id ORDER BY updated_at DESC NULLS LAST, _input DESC, _line DESC) AS _rn
FROM stg_vendor_tickets;
CREATE OR REPLACE TEMP TABLE _vw AS
SELECT v.* FROM _v v
WHERE v._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM vendor_tickets x WHERE x.source = v.source AND x.ticket_id = v.ticket_id
      AND ((x.updated_at > v.updated_at)
        OR (x.created_at = v.created_at AND x.first_response_at IS NOT DISTINCT FROM v.first_response_at
            AND x.resolved_at IS NOT DISTINCT FROM v.resolved_at AND x.status = v.status
            AND x.status_raw IS NOT DISTINCT FROM v.status_raw AND x.priority IS NOT DISTINCT FROM v.priority
            AND x.priority_raw IS NOT DISTINCT FROM v.priority_raw AND x.school_id IS NOT DISTINCT FROM v.school_id
            AND x.service IS NOT DISTINCT FROM v.service AND x.category_raw IS NOT DISTINCT FROM v.category_raw
            AND x.ref_ticket_id IS NOT DISTINCT FROM v.ref_ticket_id
            AND x.updated_at IS NOT DISTINCT FROM v.updated_at)));
INSERT INTO _outcome SELECT _input, count(*), -count(*) FROM _vw GROUP BY _input;
INSERT INTO _outcome SELECT _input, 0, count(*) FROM _v GROUP BY _input;
DELETE FROM vendor_tickets x USING _vw w WHERE x.source = w.source AND x.ticket_id = w.ticket_id;
INSERT INTO vendor_tickets SELECT source, ticket_id, created_at, first_response_at, resolved_at, status, status_raw,
       priority, priority_raw, school_id, service, category_raw, ref_ticket_id, updated_at FROM _vw;
DROP TABLE _v;
DROP TABLE _vw;
