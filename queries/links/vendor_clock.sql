-- Clock reconciliation: per vendor, quarter and measure (response, resolution) the
-- distribution of the difference between our view and the vendor's (ours minus theirs), in
-- service hours of the contract calendar. Columns and definitions: vendor_clock.toml.
-- The linked tickets: the view link_pairs_linked (queries/links/views.sql).
WITH linked AS (SELECT * FROM link_pairs_linked)
, diffs AS (
    SELECT vendor, quarter, 'response' AS measure, threshold_secs,
           ack_contract_bsecs - vendor_response_bsecs AS d
    FROM linked WHERE (getvariable('q_start') IS NULL OR linked_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR linked_at < getvariable('q_end'))
    UNION ALL
    SELECT vendor, quarter, 'resolution', threshold_secs,
           contract_bsecs - vendor_resolution_bsecs
    FROM linked WHERE (getvariable('q_start') IS NULL OR linked_at >= getvariable('q_start'))
  AND (getvariable('q_end') IS NULL OR linked_at < getvariable('q_end'))
)
SELECT vendor, quarter, measure,
       count(d) AS compared,
       min(d) / 3600.0 AS difference_min_hours,
       quantile_cont(d, 0.1) / 3600.0 AS difference_p10_hours,
       quantile_cont(d, 0.5) / 3600.0 AS difference_median_hours,
       quantile_cont(d, 0.9) / 3600.0 AS difference_p90_hours,
       max(d) / 3600.0 AS difference_max_hours,
       avg(d) / 3600.0 AS difference_mean_hours,
       count(*) FILTER (WHERE abs(d) > threshold_secs) AS over_threshold,
       any_value(threshold_secs) / 3600.0 AS threshold_hours
FROM diffs
GROUP BY vendor, quarter, measure
ORDER BY vendor, quarter, measure DESC
