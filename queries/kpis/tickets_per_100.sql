WITH c AS (
    SELECT dim, count(*) AS n
    FROM kt
    WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end')
    GROUP BY ALL
), s AS (
    SELECT dim, sum(devices) AS devices, sum(pupils) AS pupils
    FROM ks
    WHERE dim IS NOT NULL
    GROUP BY ALL
)
SELECT s.dim AS key,
       100.0 * coalesce(c.n, 0) / nullif(s.devices, 0) AS per_100_devices,
       100.0 * coalesce(c.n, 0) / nullif(s.pupils, 0) AS per_100_pupils
FROM s
LEFT JOIN c USING (dim)
