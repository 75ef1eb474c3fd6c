-- Schools: within the import the last row of a school wins; earlier rows, and rows equal to
-- the workspace's, count as merged.
CREATE OR REPLACE TEMP TABLE _s AS
SELECT *, row_number() OVER (PARTITION BY school_id ORDER BY _input DESC, _line DESC) AS _rn FROM stg_schools;
CREATE OR REPLACE TEMP TABLE _sw AS
SELECT s.* FROM _s s
WHERE s._rn = 1 AND NOT EXISTS (
    SELECT 1 FROM schools x WHERE x.school_id = s.school_id AND x.name = s.name
      AND x.school_type = s.school_type AND x.pupils IS NOT DISTINCT FROM s.pupils
      AND x.teachers IS NOT DISTINCT FROM s.teachers AND x.devices IS NOT DISTINCT FROM s.devices
      AND x.travel_minutes IS NOT DISTINCT FROM s.travel_minutes
      AND x.authority_id IS NOT DISTINCT FROM s.authority_id);
INSERT INTO _outcome
SELECT _input, count(*) FILTER (WHERE _rn = 1 AND school_id IN (SELECT school_id FROM _sw)),
       count(*) FILTER (WHERE NOT (_rn = 1 AND school_id IN (SELECT school_id FROM _sw)))
FROM _s GROUP BY _input;
DELETE FROM schools WHERE school_id IN (SELECT school_id FROM _sw);
INSERT INTO schools SELECT school_id, name, school_type, pupils, teachers, devices, travel_minutes, authority_id FROM _sw;
DROP TABLE _s;
DROP TABLE _sw;
