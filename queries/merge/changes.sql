-- Changes: the last row of a change wins; repeated rows and rows equal to the workspace's
-- count as merged.
CREATE OR REPLACE TEMP TABLE _c AS
SELECT *, row_number() OVER (PARTITION BY source, change_id ORDER BY _input DESC, _line DESC) AS _rn FROM stg_changes;
CREATE OR REPLACE TEMP TABLE _cw AS
SELECT c.* FROM _c c WHERE c._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM changes x WHERE x.source = c.source AND x.change_id = c.change_id AND x.type = c.type
      AND x.created_at = c.created_at AND x.planned_start IS NOT DISTINCT FROM c.planned_start
      AND x.planned_end IS NOT DISTINCT FROM c.planned_end AND x.actual_start IS NOT DISTINCT FROM c.actual_start
      AND x.actual_end IS NOT DISTINCT FROM c.actual_end AND x.closed_at IS NOT DISTINCT FROM c.closed_at
      AND x.outcome IS NOT DISTINCT FROM c.outcome AND x.school_id IS NOT DISTINCT FROM c.school_id
      AND x.service IS NOT DISTINCT FROM c.service AND x.linked_tickets IS NOT DISTINCT FROM c.linked_tickets);
INSERT INTO _outcome SELECT _input, count(*), -count(*) FROM _cw GROUP BY _input;
INSERT INTO _outcome SELECT _input, 0, count(*) FROM _c GROUP BY _input;
DELETE FROM changes x USING _cw w WHERE x.source = w.source AND x.change_id = w.change_id;
INSERT INTO changes SELECT source, change_id, type, created_at, planned_start, planned_end, actual_start, actual_end,
       closed_at, outcome, school_id, service, linked_tickets FROM _cw;
DROP TABLE _c;
DROP TABLE _cw;
