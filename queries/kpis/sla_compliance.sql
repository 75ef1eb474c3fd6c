SELECT dim AS key,
       100.0 * count(*) FILTER (WHERE response_met AND first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end'))
             / nullif(count(*) FILTER (WHERE first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end') AND response_met IS NOT NULL), 0) AS response_pct,
       100.0 * count(*) FILTER (WHERE resolution_met AND first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end'))
             / nullif(count(*) FILTER (WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end') AND resolution_met IS NOT NULL), 0) AS resolution_pct
FROM kt
WHERE (first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end'))
   OR (first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end'))
GROUP BY ALL
