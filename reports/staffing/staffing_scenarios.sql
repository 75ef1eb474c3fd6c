-- The growth scenarios, five years: a row per scenario and year (staffing_scenarios, written by
-- the estimate; the status quo first, as named in the report's language). Columns:
-- staffing_scenarios.toml.
SELECT CASE WHEN pos = 0 AND scenario = 'Status quo' THEN 'status_quo' ELSE scenario END
           AS scenario,
       CAST(year AS VARCHAR) AS year, devices, tickets, fte, personnel_cost, vendor_cost
FROM staffing_scenarios
ORDER BY pos, year
