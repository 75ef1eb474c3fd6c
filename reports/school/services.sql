-- Each school's tickets of the quarter by IT service, against the municipality's shares: a row
-- per school and every service with tickets in the quarter (0 where the school has none).
-- Run once per report pack (the query section keeps the result for every school page).
-- Columns and definitions: services.toml.
WITH t AS (
    SELECT school_id, service FROM ticket_facts
    WHERE created_at >= getvariable('q_start') AND created_at < getvariable('q_end')
), municipality AS (
    SELECT service, 100.0 * count(*) / sum(count(*)) OVER () AS municipality_pct
    FROM t GROUP BY service
), mine AS (
    SELECT school_id, service, count(*) AS tickets FROM t WHERE school_id IS NOT NULL GROUP BY ALL
)
SELECT s.school_id, a.service, coalesce(m.tickets, 0) AS tickets,
       100.0 * coalesce(m.tickets, 0)
           / nullif(sum(coalesce(m.tickets, 0)) OVER (PARTITION BY s.school_id), 0) AS share_pct,
       a.municipality_pct
FROM schools s
CROSS JOIN municipality a
LEFT JOIN mine m ON m.school_id = s.school_id AND m.service = a.service
ORDER BY s.school_id, tickets DESC, a.service
