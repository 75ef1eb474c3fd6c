-- One row per link of a ticket of ours to a vendor ticket (both existing), with the handoff
-- it belongs to; the quarter is the handoff's (the vendor's opening without one). Columns
-- and definitions: vendor_linked_tickets.toml.
-- The linked tickets: the view link_pairs_linked (queries/links/views.sql).
WITH linked AS (SELECT * FROM link_pairs_linked)
SELECT vendor, quarter, ticket_id, vendor_ticket_id, method, handoff_no,
       handed_at, vendor_created_at,
       transmission_secs / 60.0 AS transmission_minutes,
       ack_contract_bsecs / 3600.0 AS our_response_hours,
       vendor_response_bsecs / 3600.0 AS vendor_response_hours,
       (ack_contract_bsecs - vendor_response_bsecs) / 3600.0 AS response_difference_hours,
       contract_bsecs / 3600.0 AS our_resolution_hours,
       vendor_resolution_bsecs / 3600.0 AS vendor_resolution_hours,
       (contract_bsecs - vendor_resolution_bsecs) / 3600.0 AS resolution_difference_hours
FROM linked
WHERE (getvariable('q_start') IS NULL OR linked_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR linked_at < getvariable('q_end'))
ORDER BY vendor, quarter, ticket_id, vendor_ticket_id
