-- Problem candidates: at least `min_tickets` incidents of one school × IT service × category
-- (as exported) within `days` days, at least one of them created in the quarter; incidents
-- from `days` before the quarter count towards a window. Per candidate: the most incidents in
-- one window, the incidents in the quarter, and their ticket ids (the first 12, then "(+n)").
-- Parameters: the section's `params` (min_tickets, days). School pages read their own rows
-- (filter = school_id). Columns and definitions: problems.toml.
WITH t AS (
    SELECT ticket_id, school_id, service, coalesce(category_raw, '–') AS category, created_at
    FROM ticket_facts
    WHERE type = 'incident' AND school_id IS NOT NULL
      AND created_at >= getvariable('q_start') - to_days(CAST(getvariable('days') AS INTEGER))
      AND created_at < getvariable('q_end')
), w AS (
    SELECT *, count(*) OVER (PARTITION BY school_id, service, category ORDER BY created_at
                             RANGE BETWEEN to_days(CAST(getvariable('days') AS INTEGER)) PRECEDING
                                       AND CURRENT ROW) AS in_window
    FROM t
), hot AS (
    SELECT school_id, service, category, max(in_window) AS peak
    FROM w WHERE created_at >= getvariable('q_start')
    GROUP BY ALL HAVING max(in_window) >= CAST(getvariable('min_tickets') AS INTEGER)
), listed AS (
    SELECT h.school_id, coalesce(s.name, h.school_id) AS school, h.service, h.category, h.peak,
           count(*) AS tickets, list(t.ticket_id ORDER BY t.created_at, t.ticket_id) AS ids
    FROM hot h
    JOIN t USING (school_id, service, category)
    LEFT JOIN schools s ON s.school_id = h.school_id
    WHERE t.created_at >= getvariable('q_start')
    GROUP BY ALL
)
SELECT school_id, school, service, category, peak, tickets,
       array_to_string(ids[1:12], ', ')
           || CASE WHEN len(ids) > 12 THEN ' (+' || (len(ids) - 12) || ')' ELSE '' END AS ticket_ids
FROM listed
ORDER BY peak DESC, tickets DESC, school_id, service, category
