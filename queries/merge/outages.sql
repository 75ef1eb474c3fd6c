-- Outages have no key: an outage equal in every column to one in the import before it or in
-- the workspace counts as merged, every other one is added.
CREATE OR REPLACE TEMP TABLE _o AS
SELECT *, row_number() OVER (PARTITION BY service, school_id, start_at, end_at, planned ORDER BY _input, _line) AS _dup
FROM stg_outages;
CREATE OR REPLACE TEMP TABLE _ow AS
SELECT o.* FROM _o o
WHERE _dup = 1 AND NOT EXISTS (
    SELECT 1 FROM outages x WHERE x.service = o.service AND x.school_id IS NOT DISTINCT FROM o.school_id
      AND x.start_at = o.start_at AND x.end_at IS NOT DISTINCT FROM o.end_at AND x.planned = o.planned);
INSERT INTO _outcome SELECT _input, count(*), -count(*) FROM _ow GROUP BY _input;
INSERT INTO _outcome SELECT _input, 0, count(*) FROM _o GROUP BY _input;
INSERT INTO outages SELECT service, school_id, start_at, end_at, planned FROM _ow;
DROP TABLE _o;
DROP TABLE _ow;
