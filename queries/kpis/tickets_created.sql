SELECT dim AS key, count(*) AS value
FROM kt
WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end')
GROUP BY ALL
