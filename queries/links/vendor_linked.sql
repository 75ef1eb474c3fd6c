-- Per vendor and quarter, over the linked tickets: transmission delay, and the vendor's
-- response and resolution by its clock against ours, in its contract calendar. Columns and
-- definitions: vendor_linked.toml.
-- pairs:begin (the same text in every query of queries/links/ that reads linked tickets; a test keeps them equal)
WITH vcfg AS (
    -- The link settings of every vendor with an export ([[vendors]]; the row '*' holds the defaults).
    SELECT s.vendor,
           coalesce(c.tolerance_secs, d.tolerance_secs) AS tolerance_secs,
           coalesce(c.threshold_secs, d.threshold_secs) AS threshold_secs
    FROM (SELECT DISTINCT source AS vendor FROM vendor_tickets) s
    LEFT JOIN cfg_vendor_links c ON c.vendor = s.vendor
    CROSS JOIN (SELECT * FROM cfg_vendor_links WHERE vendor = '*') d
), pairs AS (
    -- Links of a ticket of ours to a vendor ticket where both tickets exist.
    SELECT l.source, l.ticket_id, l.method, v.source AS vendor, v.ticket_id AS vendor_ticket_id,
           v.created_at AS vendor_created_at, v.first_response_at AS vendor_response_at,
           v.resolved_at AS vendor_resolved_at, c.tolerance_secs, c.threshold_secs
    FROM ticket_links l
    JOIN vendor_tickets v ON v.source = l.linked_source AND v.ticket_id = l.linked_ticket_id
    JOIN tickets t ON t.source = l.source AND t.ticket_id = l.ticket_id
    JOIN vcfg c ON c.vendor = v.source
    WHERE l.relation = 'handed_to_vendor'
), matched AS (
    -- The handoff a link belongs to: the latest handoff of our ticket to this vendor begun no
    -- later than the vendor's opening plus the tolerated clock offset; without one, the first.
    SELECT p.*, h.handoff_no, h.handed_at, h.ended_at, h.ack_contract_bsecs, h.contract_bsecs,
           row_number() OVER (
               PARTITION BY p.source, p.ticket_id, p.vendor, p.vendor_ticket_id
               ORDER BY (h.handed_at <= p.vendor_created_at + to_seconds(p.tolerance_secs)) DESC,
                        CASE WHEN h.handed_at <= p.vendor_created_at + to_seconds(p.tolerance_secs)
                             THEN -epoch(h.handed_at) ELSE epoch(h.handed_at) END) AS rn
    FROM pairs p
    LEFT JOIN handoffs h ON h.source = p.source AND h.ticket_id = p.ticket_id AND h.vendor = p.vendor
), linked AS (
    -- Every time by the vendor's clock is measured in its contract calendar.
    SELECT m.* EXCLUDE (rn),
           date_diff('second', m.handed_at, m.vendor_created_at) AS transmission_secs,
           bsecs('vendor:' || m.vendor, m.vendor_created_at, m.vendor_response_at) AS vendor_response_bsecs,
           bsecs('vendor:' || m.vendor, m.vendor_created_at, m.vendor_resolved_at) AS vendor_resolution_bsecs,
           coalesce(m.handed_at, m.vendor_created_at) AS linked_at,
           strftime(to_local(coalesce(m.handed_at, m.vendor_created_at)), '%Y-Q')
               || quarter(to_local(coalesce(m.handed_at, m.vendor_created_at))) AS quarter
    FROM matched m
    WHERE m.rn = 1
)
-- pairs:end
SELECT vendor, quarter,
       count(*) AS linked,
       quantile_cont(transmission_secs, 0.5) / 60.0 AS transmission_median_minutes,
       quantile_cont(transmission_secs, 0.9) / 60.0 AS transmission_p90_minutes,
       quantile_cont(ack_contract_bsecs, 0.5) / 3600.0 AS our_response_median_hours,
       quantile_cont(vendor_response_bsecs, 0.5) / 3600.0 AS vendor_response_median_hours,
       quantile_cont(contract_bsecs, 0.5) / 3600.0 AS our_resolution_median_hours,
       quantile_cont(vendor_resolution_bsecs, 0.5) / 3600.0 AS vendor_resolution_median_hours
FROM linked
WHERE (getvariable('q_start') IS NULL OR linked_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR linked_at < getvariable('q_end'))
GROUP BY vendor, quarter
ORDER BY vendor, quarter
