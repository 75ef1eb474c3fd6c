-- to_level23_pct leaves out the tickets whose only unknown is a group kennzahl.toml does
-- not list (they may or may not have been escalated); unclassified_pct counts them.
SELECT dim AS key,
       100.0 * count(*) FILTER (WHERE max_level >= 2)
             / nullif(count(*) FILTER (WHERE NOT unknown_groups OR max_level >= 2), 0) AS to_level23_pct,
       100.0 * count(*) FILTER (WHERE reached_vendor) / count(*) AS to_vendor_pct,
       100.0 * count(*) FILTER (WHERE unknown_groups AND max_level < 2) / count(*) AS unclassified_pct
FROM kt
WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end')
GROUP BY ALL
