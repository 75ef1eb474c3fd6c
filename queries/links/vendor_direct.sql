-- Per vendor and quarter: the vendor's tickets, how many are linked to ours, how many were
-- sent to the vendor directly, and their share of the vendor's volume. Columns and
-- definitions: vendor_direct.toml.
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
)
SELECT vendor, quarter,
       count(*) AS vendor_tickets,
       count(*) FILTER (WHERE state = 'linked') AS linked,
       count(*) FILTER (WHERE state = 'direct') AS direct,
       count(*) FILTER (WHERE state = 'unresolved') AS unresolved_reference,
       100.0 * count(*) FILTER (WHERE state = 'direct') / count(*) AS direct_pct
FROM v
GROUP BY vendor, quarter
ORDER BY vendor, quarter
