SELECT dim AS key,
       count(*) FILTER (WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end')) AS opened,
       count(*) FILTER (WHERE done_at >= getvariable('q_start') AND done_at < getvariable('q_end')) AS completed,
       count(*) FILTER (WHERE done_at >= getvariable('q_start') AND done_at < getvariable('q_end') AND outcome = 'successful') AS successful,
       count(*) FILTER (WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end') AND type = 'emergency') AS emergency
FROM (SELECT *, coalesce(actual_end, closed_at) AS done_at FROM kc)
WHERE (created_at >= getvariable('q_start') AND created_at < getvariable('q_end'))
   OR (done_at >= getvariable('q_start') AND done_at < getvariable('q_end'))
GROUP BY ALL
