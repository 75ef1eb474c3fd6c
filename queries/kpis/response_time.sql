SELECT dim AS key,
       quantile_cont(response_bsecs, 0.5) / 3600.0 AS median,
       quantile_cont(response_bsecs, 0.9) / 3600.0 AS p90,
       avg(response_bsecs) / 3600.0 AS mean,
       count(*) AS n
FROM kt
WHERE first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end')
GROUP BY ALL
