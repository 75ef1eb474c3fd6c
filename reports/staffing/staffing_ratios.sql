-- Ratios and the benchmark: devices per FTE against the rule of thumb, the FTE the rule would
-- give against the need from the data, tickets per device and per 100 pupils, cost per
-- ticket, device and school (staff and vendors). A row per ratio, each in its own unit
-- (`unit_from` in the spec); no value where the divisor is 0. The estimate writes the figures
-- (staffing_totals, staffing_services); the ratios are derived here. Columns: staffing_ratios.toml.
WITH t AS (SELECT * FROM staffing_totals),
s AS (
    SELECT sum(level1_h + level2_h + level3_h + travel_h + task_h) AS service_h,
           sum(personnel_cost) AS personnel, sum(vendor_cost) AS vendors
    FROM staffing_services
),
f AS (
    SELECT t.*, (s.service_h + t.cross_h) / t.net_hours_per_fte AS fte,
           s.personnel + t.cross_cost + s.vendors + t.unattributed_vendor_cost AS cost
    FROM t, s
)
SELECT * FROM (
    SELECT 1 AS pos, 'devices_per_fte' AS measure, devices / nullif(fte, 0) AS value,
           'count' AS unit, benchmark_devices_per_fte AS comparison, 'count' AS comparison_unit,
           benchmark_source AS basis
    FROM f
    UNION ALL
    SELECT 2, 'fte_by_benchmark', devices / nullif(benchmark_devices_per_fte, 0), 'fte',
           fte, 'fte', 'need_from_the_data' FROM f
    UNION ALL
    SELECT 3, 'tickets_per_device', tickets / nullif(devices, 0), 'ratio', NULL, 'text', NULL
    FROM f
    UNION ALL
    SELECT 4, 'tickets_per_100_pupils', tickets * 100 / nullif(pupils, 0), 'ratio', NULL,
           'text', NULL FROM f
    UNION ALL
    SELECT 5, 'cost_per_ticket', cost / nullif(tickets, 0), 'eur', NULL, 'text',
           'staff_and_vendors' FROM f
    UNION ALL
    SELECT 6, 'cost_per_device', cost / nullif(devices, 0), 'eur', NULL, 'text',
           'staff_and_vendors' FROM f
    UNION ALL
    SELECT 7, 'cost_per_school', cost / nullif(schools, 0), 'eur', NULL, 'text',
           'staff_and_vendors' FROM f
)
ORDER BY pos
