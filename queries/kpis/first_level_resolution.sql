-- A ticket held by a group kennzahl.toml does not list cannot be called first-level solved,
-- unless what is known already rules it out (level 2/3 or a vendor): such tickets are left
-- out of the rate and counted in unclassified_pct.
SELECT dim AS key,
       100.0 * count(*) FILTER (WHERE max_level = 1 AND NOT reached_vendor AND NOT unknown_groups)
             / nullif(count(*) FILTER (WHERE NOT unknown_groups OR max_level >= 2 OR reached_vendor), 0) AS value,
       100.0 * count(*) FILTER (WHERE unknown_groups AND max_level < 2 AND NOT reached_vendor) / count(*) AS unclassified_pct
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
GROUP BY ALL
