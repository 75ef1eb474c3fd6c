-- Minutes per ticket, measured and estimated: a row per IT service and support level the
-- service's tickets reached (staffing_levels, written by the estimate). The measured minutes
-- per ticket have the shape of [staffing.standard_minutes]. Columns: staffing_minutes.toml.
SELECT service AS item, level, tickets, measured_tickets,
       measured_h * 60.0 / nullif(measured_tickets, 0) AS measured_min,
       estimated_tickets, minutes_used, source
FROM staffing_levels
WHERE tickets > 0
ORDER BY pos, level
