SELECT dim AS key, count(*) AS value
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
GROUP BY ALL
