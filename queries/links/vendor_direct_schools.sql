-- Per vendor, quarter and school: the tickets the school sent to the vendor directly, and
-- their share of the school's and of the vendor's whole volume. Columns and definitions:
-- vendor_direct_schools.toml.
WITH linked AS (
    -- Vendor tickets a ticket of ours (an existing one) is linked to.
    SELECT DISTINCT l.linked_source AS vendor, l.linked_ticket_id AS vendor_ticket_id
    FROM ticket_links l
    SEMI JOIN tickets t ON t.source = l.source AND t.ticket_id = l.ticket_id
    WHERE l.relation = 'handed_to_vendor'
), v AS (
    -- Each vendor ticket in the quarter of its opening (by the vendor's clock, local time):
    -- linked, sent directly (no link, no reference), or with a reference naming no ticket of ours.
    SELECT v.source AS vendor, v.ticket_id, v.school_id,
           strftime(to_local(v.created_at), '%Y-Q') || quarter(to_local(v.created_at)) AS quarter,
           CASE WHEN k.vendor IS NOT NULL THEN 'linked'
                WHEN v.ref_ticket_id IS NULL THEN 'direct'
                ELSE 'unresolved' END AS state
    FROM vendor_tickets v
    LEFT JOIN linked k ON k.vendor = v.source AND k.vendor_ticket_id = v.ticket_id
    WHERE (getvariable('q_start') IS NULL OR created_at >= getvariable('q_start'))
      AND (getvariable('q_end') IS NULL OR created_at < getvariable('q_end'))
), per_vendor AS (
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
