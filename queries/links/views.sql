-- The views every query of queries/links/ reads, created before each of them runs
-- (src/links.rs `run_sql`): one definition of how a link is paired with its handoff and timed,
-- one of the link findings, and one of the vendor tickets' states.
--
-- link_pairs_linked: every link of a ticket of ours to a vendor ticket where both exist, with
-- the handoff it belongs to (the latest one begun no later than the vendor's opening plus the
-- tolerated clock offset; without one, the first), the transmission delay, both sides' times
-- in the vendor's contract calendar, and the quarter of the handoff.
CREATE OR REPLACE TEMP VIEW link_pairs_linked AS
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
SELECT * FROM linked;

-- link_findings: the data-quality findings of the links (unlinked handoffs, references to
-- tickets that do not exist, one vendor ticket named by several of ours, links back in time,
-- links without a handoff), with their quarter; within q_start/q_end when they are set.
CREATE OR REPLACE TEMP VIEW link_findings AS
WITH linked AS (SELECT * FROM link_pairs_linked)
, exported AS (
    -- The vendors whose export is in the workspace, and its first ticket.
    SELECT source AS vendor, min(created_at) AS first_at FROM vendor_tickets GROUP BY source
), findings AS (
    -- Tickets of ours handed to a vendor with an export (from its first ticket on) that have
    -- no link to any ticket of that vendor: one row per ticket, at its first such handoff.
    SELECT 'unlinked_handoff' AS kind, h.vendor, h.ticket_id, NULL::VARCHAR AS vendor_ticket_id,
           min(h.handed_at) AS found_at, NULL::DOUBLE AS minutes
    FROM handoffs h
    JOIN exported x ON x.vendor = h.vendor AND h.handed_at >= x.first_at
    WHERE NOT EXISTS (SELECT 1 FROM ticket_links l
                      WHERE l.relation = 'handed_to_vendor' AND l.source = h.source
                        AND l.ticket_id = h.ticket_id AND l.linked_source = h.vendor)
    GROUP BY h.vendor, h.source, h.ticket_id
    UNION ALL
    -- The vendor's reference column names a ticket of ours that does not exist.
    SELECT 'unknown_ticket_referenced', v.source, v.ref_ticket_id, v.ticket_id, v.created_at, NULL
    FROM vendor_tickets v
    WHERE v.ref_ticket_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.ticket_id = v.ref_ticket_id)
    UNION ALL
    -- A link (a reference of our export, a mapping file, a confirmed match) naming a ticket
    -- of ours that does not exist.
    SELECT 'unknown_ticket_referenced', l.linked_source, l.ticket_id, l.linked_ticket_id, v.created_at, NULL
    FROM ticket_links l
    LEFT JOIN vendor_tickets v ON v.source = l.linked_source AND v.ticket_id = l.linked_ticket_id
    WHERE l.relation = 'handed_to_vendor'
      AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.source = l.source AND t.ticket_id = l.ticket_id)
    UNION ALL
    -- A link naming a ticket the vendor's export does not have (vendors with an export).
    SELECT 'unknown_vendor_ticket_referenced', l.linked_source, l.ticket_id, l.linked_ticket_id,
           (SELECT min(h.handed_at) FROM handoffs h WHERE h.source = l.source
              AND h.ticket_id = l.ticket_id AND h.vendor = l.linked_source), NULL
    FROM ticket_links l
    JOIN exported x ON x.vendor = l.linked_source
    WHERE l.relation = 'handed_to_vendor'
      AND NOT EXISTS (SELECT 1 FROM vendor_tickets v
                      WHERE v.source = l.linked_source AND v.ticket_id = l.linked_ticket_id)
    UNION ALL
    -- Two or more tickets of ours linked to the same vendor ticket: each of them.
    SELECT 'vendor_ticket_shared', p.vendor, p.ticket_id, p.vendor_ticket_id, p.linked_at, NULL
    FROM linked p
    WHERE (SELECT count(*) FROM linked q
           WHERE q.vendor = p.vendor AND q.vendor_ticket_id = p.vendor_ticket_id) > 1
    UNION ALL
    -- The vendor's ticket was opened before our handoff by more than the tolerated offset.
    SELECT 'back_in_time', vendor, ticket_id, vendor_ticket_id, linked_at, -transmission_secs / 60.0
    FROM linked
    WHERE transmission_secs < -tolerance_secs
    UNION ALL
    -- Linked, but our ticket was never handed to this vendor.
    SELECT 'link_without_handoff', vendor, ticket_id, vendor_ticket_id, linked_at, NULL
    FROM linked
    WHERE handed_at IS NULL
), dated AS (
    SELECT *, strftime(to_local(found_at), '%Y-Q') || quarter(to_local(found_at)) AS quarter
    FROM findings
    WHERE found_at IS NULL OR ((getvariable('q_start') IS NULL OR found_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR found_at < getvariable('q_end')))
)
SELECT * FROM dated;

-- vendor_ticket_states: each vendor ticket opened in the quarter (by the vendor's clock, local
-- time; every quarter when q_start/q_end are unset) with its state: linked to an existing
-- ticket of ours, sent directly (no link, no reference), or unresolved (its reference names no
-- ticket of ours).
CREATE OR REPLACE TEMP VIEW vendor_ticket_states AS
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
SELECT * FROM v;
