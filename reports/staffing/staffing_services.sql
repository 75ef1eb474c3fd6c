-- The staffing report's hours per IT service and support level: a row per service (in the
-- estimate's order), the cross-cutting share (information security and data protection) and
-- the total. The estimate writes its figures into the staffing_* tables (src/staffing/tables.rs);
-- FTE, the measured share and the total row are derived here. Columns: staffing_services.toml.
WITH t AS (SELECT net_hours_per_fte, cross_h FROM staffing_totals),
s AS (
    SELECT pos, service AS item, tickets, level1_h, level2_h, level3_h, travel_h, task_h,
           level1_h + level2_h + level3_h AS ticket_h, measured_h
    FROM staffing_services
),
rows AS (
    SELECT pos, item, tickets, level1_h, level2_h, level3_h, travel_h, task_h,
           ticket_h + travel_h + task_h AS hours, measured_h, ticket_h
    FROM s
    UNION ALL
    -- The cross-cutting share has hours only: it is no ticket work.
    SELECT 1000000, 'cross_cutting', NULL, NULL, NULL, NULL, NULL, NULL, cross_h, NULL, NULL
    FROM t
)
SELECT pos, item, tickets, level1_h, level2_h, level3_h, travel_h, task_h, hours,
       hours / t.net_hours_per_fte AS fte,
       100.0 * measured_h / nullif(ticket_h, 0) AS measured_pct
FROM rows, t
UNION ALL
SELECT 1000001, 'total', sum(tickets), sum(level1_h), sum(level2_h), sum(level3_h), sum(travel_h),
       sum(task_h), sum(hours), sum(hours) / any_value(t.net_hours_per_fte),
       100.0 * sum(measured_h) / nullif(sum(ticket_h), 0)
FROM rows, t
ORDER BY pos
