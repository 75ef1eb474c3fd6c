-- Every vendor's handoffs of the quarter (a vendor page reads its own: filter = vendor), in the
-- order a page shows them: the open ones first, then the longest at the vendor (unknown
-- durations first), then in order of handoff. Run once per report pack. Ticket ids, school
-- names and codes only: no text of the tickets. Columns and definitions: handoffs.toml.
SELECT h.vendor, h.ticket_id, coalesce(s.name, h.school_id, '–') AS school, h.service,
       coalesce(CAST(h.priority AS VARCHAR), '–') AS priority,
       strftime(to_local(h.handed_at), '%Y-%m-%d %H:%M') AS handed,
       h.ack_bsecs / 3600.0 AS ack_hours, h.vendor_bsecs / 3600.0 AS vendor_hours, h.outcome,
       CASE WHEN h.uc_response_met IS NULL AND h.uc_resolution_met IS NULL THEN NULL
            WHEN coalesce(h.uc_response_met, true) AND coalesce(h.uc_resolution_met, true) THEN 'ok'
            ELSE 'missed' END AS uc
FROM handoffs h
LEFT JOIN schools s ON s.school_id = h.school_id
WHERE h.handed_at >= getvariable('q_start') AND h.handed_at < getvariable('q_end')
ORDER BY h.vendor, h.outcome = 'open' DESC, h.vendor_bsecs DESC NULLS FIRST, h.handed_at, h.ticket_id
