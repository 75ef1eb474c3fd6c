-- Per vendor and quarter, over the linked tickets: transmission delay, and the vendor's
-- response and resolution by its clock against ours, in its contract calendar. Columns and
-- definitions: vendor_linked.toml.
-- The linked tickets: the view link_pairs_linked (queries/links/views.sql).
WITH linked AS (SELECT * FROM link_pairs_linked)
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
