-- Per vendor, quarter and school: the tickets the school sent to the vendor directly, and
-- their share of the school's and of the vendor's whole volume. Columns and definitions:
-- vendor_direct_schools.toml.
-- The vendor tickets and their states: the view vendor_ticket_states (queries/links/views.sql).
WITH v AS (SELECT * FROM vendor_ticket_states), per_vendor AS (
    SELECT vendor, quarter, count(*) AS volume FROM v GROUP BY vendor, quarter
)
SELECT v.vendor, v.quarter, v.school_id,
       count(*) AS vendor_tickets,
       count(*) FILTER (WHERE v.state = 'direct') AS direct,
       100.0 * count(*) FILTER (WHERE v.state = 'direct') / count(*) AS direct_pct,
       100.0 * count(*) FILTER (WHERE v.state = 'direct') / any_value(p.volume) AS share_of_vendor_pct
FROM v
JOIN per_vendor p ON p.vendor = v.vendor AND p.quarter = v.quarter
GROUP BY v.vendor, v.quarter, v.school_id
ORDER BY v.vendor, v.quarter, v.school_id NULLS LAST
