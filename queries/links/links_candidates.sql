-- Match candidates where no reference links a vendor ticket to ours: a vendor ticket with no
-- link from an existing ticket of ours, and a handoff of ours to the same vendor, at the same
-- school, by a ticket with no link to any ticket of that vendor, the vendor's opening within
-- the vendor's match window of the handoff. Scored, ranked, never linked until the user
-- confirms (kennzahl links --candidates / --confirm). Columns and definitions:
-- links_candidates.toml.
WITH vcfg AS (
    SELECT s.vendor,
           coalesce(c.tolerance_secs, d.tolerance_secs) AS tolerance_secs,
           coalesce(c.window_secs, d.window_secs) AS window_secs
    FROM (SELECT DISTINCT source AS vendor FROM vendor_tickets) s
    LEFT JOIN cfg_vendor_links c ON c.vendor = s.vendor
    CROSS JOIN (SELECT * FROM cfg_vendor_links WHERE vendor = '*') d
), open_v AS (
    SELECT v.* FROM vendor_tickets v
    WHERE NOT EXISTS (SELECT 1 FROM ticket_links l JOIN tickets t ON t.source = l.source AND t.ticket_id = l.ticket_id
                      WHERE l.relation = 'handed_to_vendor'
                        AND l.linked_source = v.source AND l.linked_ticket_id = v.ticket_id)
), open_h AS (
    SELECT h.* FROM handoffs h
    WHERE NOT EXISTS (SELECT 1 FROM ticket_links l
                      WHERE l.relation = 'handed_to_vendor' AND l.source = h.source
                        AND l.ticket_id = h.ticket_id AND l.linked_source = h.vendor)
), pairs AS (
    -- The closest handoff of each ticket to the vendor ticket.
    SELECT v.source AS vendor, v.ticket_id AS vendor_ticket_id, h.source, h.ticket_id,
           v.school_id, t.service AS our_service, v.service AS vendor_service,
           arg_min(h.handed_at, abs(date_diff('second', h.handed_at, v.created_at))) AS handed_at,
           any_value(v.created_at) AS vendor_created_at,
           min(abs(date_diff('second', h.handed_at, v.created_at))) AS gap_secs,
           any_value(c.window_secs) AS window_secs
    FROM open_v v
    JOIN vcfg c ON c.vendor = v.source
    JOIN open_h h ON h.vendor = v.source AND h.school_id = v.school_id
         AND abs(date_diff('second', h.handed_at, v.created_at)) <= c.window_secs
    JOIN tickets t ON t.source = h.source AND t.ticket_id = h.ticket_id
    WHERE (getvariable('q_start') IS NULL OR least(h.handed_at, v.created_at) >= getvariable('q_start'))
      AND (getvariable('q_end') IS NULL OR least(h.handed_at, v.created_at) < getvariable('q_end'))
    GROUP BY ALL
), scored AS (
    -- The school is required; the same service adds 0.2, closeness in time up to 0.3.
    SELECT *, round(0.5 + 0.2 * (our_service IS NOT DISTINCT FROM vendor_service)::INTEGER
                    + 0.3 * (1 - gap_secs / greatest(window_secs, 1)), 3) AS score
    FROM pairs
)
SELECT vendor, vendor_ticket_id, source, ticket_id, score,
       row_number() OVER (PARTITION BY vendor, vendor_ticket_id ORDER BY score DESC, gap_secs, source, ticket_id) AS rank,
       school_id, our_service, vendor_service, handed_at, vendor_created_at,
       date_diff('second', handed_at, vendor_created_at) / 60.0 AS delta_minutes,
       '' AS confirm
FROM scored
ORDER BY vendor, vendor_ticket_id, rank
