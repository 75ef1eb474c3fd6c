WITH t AS (
    SELECT source, ticket_id, school_id, created_at, first_resolved_at, dim
    FROM kt
    WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
      -- A clock that cannot be computed (instants outside the calendar) counts neither way.
      AND resolution_bsecs IS NOT NULL
), held AS (
    -- Service seconds each own level held the ticket before its first resolution (not waiting).
    SELECT t.dim, t.source, t.ticket_id, t.created_at, sg.level,
           sum(sg.resolution_secs) AS secs
    FROM t
    JOIN segments sg ON sg.source = t.source AND sg.ticket_id = t.ticket_id
    WHERE sg.from_at < t.first_resolved_at AND sg.vendor IS NULL
      AND sg.status_class NOT IN ('waiting_customer', 'waiting_vendor')
    GROUP BY ALL
)
SELECT h.dim AS key,
       100.0 * count(*) FILTER (WHERE h.level = 1 AND h.secs <= o.hours * 3600) / nullif(count(*) FILTER (WHERE h.level = 1 AND o.hours IS NOT NULL), 0) AS level1_pct,
       100.0 * count(*) FILTER (WHERE h.level = 2 AND h.secs <= o.hours * 3600) / nullif(count(*) FILTER (WHERE h.level = 2 AND o.hours IS NOT NULL), 0) AS level2_pct,
       100.0 * count(*) FILTER (WHERE h.level = 3 AND h.secs <= o.hours * 3600) / nullif(count(*) FILTER (WHERE h.level = 3 AND o.hours IS NOT NULL), 0) AS level3_pct
FROM held h
-- The OLA in the version in force at the ticket's creation.
LEFT JOIN cfg_olas o ON o.level = h.level
     AND (o.valid_from IS NULL OR o.valid_from <= h.created_at)
     AND (o.valid_to IS NULL OR h.created_at < o.valid_to)
GROUP BY ALL
