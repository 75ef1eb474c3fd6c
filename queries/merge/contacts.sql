-- Contacts: the last row of a contact wins; repeated rows and rows equal to the workspace's
-- count as merged.
CREATE OR REPLACE TEMP TABLE _k AS
SELECT *, row_number() OVER (PARTITION BY source, contact_id ORDER BY _input DESC, _line DESC) AS _rn FROM stg_contacts;
CREATE OR REPLACE TEMP TABLE _kw AS
SELECT k.* FROM _k k WHERE k._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM contacts x WHERE x.source = k.source AND x.contact_id = k.contact_id
      AND x.opened_at = k.opened_at AND x.closed_at IS NOT DISTINCT FROM k.closed_at
      AND x.first_contact_resolved IS NOT DISTINCT FROM k.first_contact_resolved
      AND x.ticket_id IS NOT DISTINCT FROM k.ticket_id AND x.service IS NOT DISTINCT FROM k.service
      AND x.priority IS NOT DISTINCT FROM k.priority);
INSERT INTO _outcome SELECT _input, count(*), -count(*) FROM _kw GROUP BY _input;
INSERT INTO _outcome SELECT _input, 0, count(*) FROM _k GROUP BY _input;
-- The old contacts table replaced every winning contact, changed or not: same rows either way.
DELETE FROM contacts x USING _kw n WHERE x.source = n.source AND x.contact_id = n.contact_id;
INSERT INTO contacts SELECT source, contact_id, opened_at, closed_at, first_contact_resolved, ticket_id, service, priority
FROM _kw;
DROP TABLE _k;
DROP TABLE _kw;
