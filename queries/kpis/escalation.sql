SELECT dim AS key,
       100.0 * count(*) FILTER (WHERE max_level >= 2) / count(*) AS to_level23_pct,
       100.0 * count(*) FILTER (WHERE reached_vendor) / count(*) AS to_vendor_pct
FROM kt
WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end')
GROUP BY ALL
