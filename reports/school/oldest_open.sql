-- The tickets open at the end of the quarter (a status segment that is not resolved, closed or
-- cancelled spans the quarter's end), by ticket id only, oldest first per school. Run once per
-- report pack (the query section keeps the result for every school page): one join over the
-- status segments instead of one per page. Columns and definitions: oldest_open.toml.
SELECT t.school_id, t.ticket_id, t.service,
       strftime(to_local(t.created_at), '%Y-%m-%d') AS created,
       floor(date_diff('second', t.created_at, getvariable('q_end')) / 86400.0) AS age_days,
       sg.status_class
FROM ticket_facts t
JOIN segments sg ON sg.source = t.source AND sg.ticket_id = t.ticket_id
WHERE sg.from_at < getvariable('q_end') AND (sg.to_at IS NULL OR sg.to_at >= getvariable('q_end'))
  AND t.created_at < getvariable('q_end')
  AND sg.status_class NOT IN ('resolved', 'closed', 'cancelled')
ORDER BY t.school_id, t.created_at, t.ticket_id
