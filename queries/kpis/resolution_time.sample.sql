-- One row per ticket behind resolution_time (same filter as resolution_time.sql).
SELECT dim AS key,
       resolution_bsecs / 3600.0 AS median,
       resolution_bsecs / 3600.0 AS mean,
       own_bsecs / 3600.0 AS own_median,
       own_bsecs / 3600.0 AS own_mean
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
