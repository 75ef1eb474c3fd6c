-- One row per ticket behind first_level_resolution: 1 solved at the first level, 0 not, NULL
-- for an unclassified ticket (left out of the rate, as in first_level_resolution.sql).
SELECT dim AS key,
       CASE WHEN NOT unknown_groups OR max_level >= 2 OR reached_vendor
            THEN (max_level = 1 AND NOT reached_vendor AND NOT unknown_groups)::INTEGER END AS value
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
