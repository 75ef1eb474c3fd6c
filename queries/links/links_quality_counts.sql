-- Data quality of the links, counted: per kind of finding, vendor and quarter. The findings
-- are those links_quality.sql lists: the view link_findings (queries/links/views.sql).
-- Columns and definitions: links_quality_counts.toml.
SELECT kind, vendor, quarter, count(*) AS findings
FROM link_findings
GROUP BY kind, vendor, quarter
ORDER BY kind, vendor, quarter NULLS FIRST
