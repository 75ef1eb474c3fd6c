-- Per vendor and quarter: the vendor's tickets, how many are linked to ours, how many were
-- sent to the vendor directly, and their share of the vendor's volume. Columns and
-- definitions: vendor_direct.toml.
-- The vendor tickets and their states: the view vendor_ticket_states (queries/links/views.sql).
WITH v AS (SELECT * FROM vendor_ticket_states)
SELECT vendor, quarter,
       count(*) AS vendor_tickets,
       count(*) FILTER (WHERE state = 'linked') AS linked,
       count(*) FILTER (WHERE state = 'direct') AS direct,
       count(*) FILTER (WHERE state = 'unresolved') AS unresolved_reference,
       100.0 * count(*) FILTER (WHERE state = 'direct') / count(*) AS direct_pct
FROM v
GROUP BY vendor, quarter
ORDER BY vendor, quarter
