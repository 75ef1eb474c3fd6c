-- Effort entries (derived table effort_entries): effort events at the level of the group
-- whose member booked them; tickets that only carry a total are booked at their first
-- resolution with the level unknown.
SELECT kt.dim AS key,
       sum(minutes) / 60.0 AS total_hours,
       coalesce(sum(minutes) FILTER (WHERE level = 1 AND vendor IS NULL), 0) / 60.0 AS level1_hours,
       coalesce(sum(minutes) FILTER (WHERE level = 2 AND vendor IS NULL), 0) / 60.0 AS level2_hours,
       coalesce(sum(minutes) FILTER (WHERE level = 3 AND vendor IS NULL), 0) / 60.0 AS level3_hours,
       coalesce(sum(minutes) FILTER (WHERE vendor IS NOT NULL), 0) / 60.0 AS vendor_hours,
       coalesce(sum(minutes) FILTER (WHERE level IS NULL), 0) / 60.0 AS unknown_level_hours
FROM effort_entries
JOIN kt USING (source, ticket_id)
WHERE effort_entries.booked_at >= getvariable('q_start') AND effort_entries.booked_at < getvariable('q_end')
GROUP BY ALL
