-- The support's cost per IT service: staff and vendors a year, per device, and the share of
-- the service's tickets a vendor held; then the cross-cutting share, vendor cost no service
-- carries (a contract without handoffs in the period; only when there is some) and the total.
-- The estimate writes the figures (staffing_services, staffing_totals); sums and ratios are
-- derived here. Columns: staffing_cost.toml.
WITH t AS (SELECT cross_cost, unattributed_vendor_cost, devices FROM staffing_totals),
rows AS (
    SELECT pos, service AS item, personnel_cost, vendor_cost,
           100.0 * vendor_tickets / nullif(tickets, 0) AS vendor_share_pct
    FROM staffing_services
    UNION ALL
    SELECT 1000000, 'cross_cutting', cross_cost, 0, NULL FROM t
    UNION ALL
    SELECT 1000001, 'unattributed_vendors', 0, unattributed_vendor_cost, NULL
    FROM t WHERE unattributed_vendor_cost > 0
),
shown AS (
    SELECT pos, item, personnel_cost, vendor_cost, vendor_share_pct FROM rows
    UNION ALL
    SELECT 1000002, 'total', sum(personnel_cost), sum(vendor_cost), NULL FROM rows
)
SELECT item, personnel_cost, vendor_cost, personnel_cost + vendor_cost AS total_cost,
       (personnel_cost + vendor_cost) / nullif(t.devices, 0) AS per_device, vendor_share_pct
FROM shown, t
ORDER BY pos
