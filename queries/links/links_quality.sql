-- Data quality of the links between our tickets and a vendor's export: every finding with
-- the ids, never dropped or merged. Columns and definitions: links_quality.toml.
-- The findings: the view link_findings (queries/links/views.sql).
SELECT kind, vendor, quarter, ticket_id, vendor_ticket_id, found_at, minutes
FROM link_findings
ORDER BY kind, vendor, ticket_id NULLS LAST, vendor_ticket_id NULLS LAST
