SELECT dim AS key,
       quantile_cont(resolution_bsecs, 0.5) / 3600.0 AS median,
       quantile_cont(resolution_bsecs, 0.9) / 3600.0 AS p90,
       avg(resolution_bsecs) / 3600.0 AS mean,
       quantile_cont(own_bsecs, 0.5) / 3600.0 AS own_median,
       quantile_cont(own_bsecs, 0.9) / 3600.0 AS own_p90,
       avg(own_bsecs) / 3600.0 AS own_mean,
       count(*) AS n
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
GROUP BY ALL
