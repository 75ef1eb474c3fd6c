WITH breached AS (
    SELECT source, ticket_id, school_id, created_at, first_resolved_at, dim
    FROM kt
    WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
      AND resolution_met = false
), seg AS (
    SELECT b.dim, sg.level, sg.vendor, sg.status_class,
           sg.resolution_secs AS secs
    FROM breached b
    JOIN segments sg ON sg.source = b.source AND sg.ticket_id = b.ticket_id
    WHERE sg.from_at < b.first_resolved_at
), shares AS (
    SELECT dim,
           100.0 * coalesce(sum(secs) FILTER (WHERE status_class NOT IN ('waiting_customer', 'waiting_vendor') AND vendor IS NULL AND level = 1), 0) / nullif(sum(secs), 0) AS level1_pct,
           100.0 * coalesce(sum(secs) FILTER (WHERE status_class NOT IN ('waiting_customer', 'waiting_vendor') AND vendor IS NULL AND level >= 2), 0) / nullif(sum(secs), 0) AS level23_pct,
           100.0 * coalesce(sum(secs) FILTER (WHERE status_class <> 'waiting_customer' AND (vendor IS NOT NULL OR status_class = 'waiting_vendor')), 0) / nullif(sum(secs), 0) AS vendor_pct,
           100.0 * coalesce(sum(secs) FILTER (WHERE status_class = 'waiting_customer'), 0) / nullif(sum(secs), 0) AS waiting_customer_pct,
           100.0 * coalesce(sum(secs) FILTER (WHERE status_class NOT IN ('waiting_customer', 'waiting_vendor') AND vendor IS NULL AND level IS NULL), 0) / nullif(sum(secs), 0) AS unknown_level_pct
    FROM seg
    GROUP BY ALL
)
SELECT b.dim AS key, count(*) AS breached,
       any_value(s.level1_pct) AS level1_pct, any_value(s.level23_pct) AS level23_pct,
       any_value(s.vendor_pct) AS vendor_pct, any_value(s.waiting_customer_pct) AS waiting_customer_pct,
       any_value(s.unknown_level_pct) AS unknown_level_pct
FROM breached b
LEFT JOIN shares s ON s.dim = b.dim
GROUP BY ALL
