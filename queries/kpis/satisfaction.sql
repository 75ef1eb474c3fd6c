SELECT dim AS key,
       avg(satisfaction) AS mean_score,
       100.0 * count(satisfaction) / count(*) AS response_rate_pct
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
GROUP BY ALL
