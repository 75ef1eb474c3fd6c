WITH entries AS (
    -- Effort booked as events, at the level of the group whose member booked it.
    SELECT e.source, e.ticket_id, e.event_at AS booked_at, e.value AS minutes, g.level, g.vendor
    FROM events e
    LEFT JOIN cfg_groups g ON g.name = e.actor_group
    WHERE e.kind = 'effort'
    UNION ALL
    -- Tickets that only carry a total: booked at their first resolution, level unknown.
    SELECT kt.source, kt.ticket_id, kt.first_resolved_at, kt.effort_minutes, NULL, NULL
    FROM kt
    WHERE kt.effort_minutes IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = 'effort' AND e.source = kt.source AND e.ticket_id = kt.ticket_id)
)
SELECT kt.dim AS key,
       sum(minutes) / 60.0 AS total_hours,
       coalesce(sum(minutes) FILTER (WHERE level = 1 AND vendor IS NULL), 0) / 60.0 AS level1_hours,
       coalesce(sum(minutes) FILTER (WHERE level = 2 AND vendor IS NULL), 0) / 60.0 AS level2_hours,
       coalesce(sum(minutes) FILTER (WHERE level = 3 AND vendor IS NULL), 0) / 60.0 AS level3_hours,
       coalesce(sum(minutes) FILTER (WHERE vendor IS NOT NULL), 0) / 60.0 AS vendor_hours,
       coalesce(sum(minutes) FILTER (WHERE level IS NULL), 0) / 60.0 AS unknown_level_hours
FROM entries
JOIN kt USING (source, ticket_id)
WHERE entries.booked_at >= getvariable('q_start') AND entries.booked_at < getvariable('q_end')
GROUP BY ALL
