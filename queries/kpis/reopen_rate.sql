SELECT dim AS key,
       100.0 * count(*) FILTER (WHERE reopen_count > 0) / count(*) AS value
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
GROUP BY ALL
