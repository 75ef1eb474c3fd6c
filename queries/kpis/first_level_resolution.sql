SELECT dim AS key,
       100.0 * count(*) FILTER (WHERE max_level = 1 AND NOT reached_vendor) / count(*) AS value
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
GROUP BY ALL
