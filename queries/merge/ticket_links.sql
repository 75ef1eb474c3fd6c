-- Ticket links from a file (a mapping file, or a reference column of our export read
-- through a profile): the last row of a link wins; a link without a method is a mapping.
-- Rows equal to the workspace's, and repeated rows, count as merged. Imported links are
-- kept as they are written, also when a ticket they name does not exist (yet): the
-- data-quality list of queries/links/ names those, nothing is dropped.
CREATE OR REPLACE TEMP TABLE _l AS
SELECT * REPLACE (coalesce(method, 'mapping') AS method, 'import' AS origin),
       row_number() OVER (PARTITION BY source, ticket_id, linked_source, linked_ticket_id, relation
                          ORDER BY _input DESC, _line DESC) AS _rn
FROM stg_ticket_links;
CREATE OR REPLACE TEMP TABLE _lw AS
SELECT l.* FROM _l l WHERE l._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM ticket_links x WHERE x.source = l.source AND x.ticket_id = l.ticket_id
      AND x.linked_source = l.linked_source AND x.linked_ticket_id = l.linked_ticket_id
      AND x.relation = l.relation AND x.method = l.method
      AND x.score IS NOT DISTINCT FROM l.score AND x.origin = l.origin);
INSERT INTO _outcome SELECT _input, count(*), -count(*) FROM _lw GROUP BY _input;
INSERT INTO _outcome SELECT _input, 0, count(*) FROM _l GROUP BY _input;
DELETE FROM ticket_links x USING _lw n
WHERE x.source = n.source AND x.ticket_id = n.ticket_id AND x.linked_source = n.linked_source
  AND x.linked_ticket_id = n.linked_ticket_id AND x.relation = n.relation;
INSERT INTO ticket_links SELECT source, ticket_id, linked_source, linked_ticket_id, relation, method, score, origin
FROM _lw;
DROP TABLE _l;
DROP TABLE _lw;
