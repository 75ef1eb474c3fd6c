-- The linked tickets whose durations by our clock and by the vendor's differ by more than
-- the vendor's clock_threshold_minutes, by id. Columns and definitions: vendor_clock_outliers.toml.
-- The linked tickets: the view link_pairs_linked (queries/links/views.sql).
WITH linked AS (SELECT * FROM link_pairs_linked)
, diffs AS (
    SELECT vendor, quarter, 'response' AS measure, ticket_id, vendor_ticket_id, threshold_secs,
           ack_contract_bsecs AS ours, vendor_response_bsecs AS theirs
    FROM linked WHERE (getvariable('q_start') IS NULL OR linked_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR linked_at < getvariable('q_end'))
    UNION ALL
    SELECT vendor, quarter, 'resolution', ticket_id, vendor_ticket_id, threshold_secs,
           contract_bsecs, vendor_resolution_bsecs
    FROM linked WHERE (getvariable('q_start') IS NULL OR linked_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR linked_at < getvariable('q_end'))
)
SELECT vendor, quarter, measure, ticket_id, vendor_ticket_id,
       ours / 3600.0 AS our_hours, theirs / 3600.0 AS vendor_hours,
       (ours - theirs) / 3600.0 AS difference_hours,
       threshold_secs / 3600.0 AS threshold_hours
FROM diffs
WHERE abs(ours - theirs) > threshold_secs
ORDER BY vendor, quarter, measure DESC, ticket_id, vendor_ticket_id
