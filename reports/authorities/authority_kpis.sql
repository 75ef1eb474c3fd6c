-- Every headline KPI per school authority (authority_figures, written by the comparison:
-- src/compare.rs): the value, volumes (counts) per 100 devices and per 100 pupils, and the
-- authority's position among those with a value (1 = best; by the rate per 100 devices for
-- volumes, by the value otherwise; no position where neither direction is better). In an
-- anonymised edition the other authorities' counts are left out. Columns: authority_kpis.toml.
WITH f AS (
    SELECT *, unit = 'count' AS volume,
           CASE WHEN unit = 'count' THEN 100.0 * value / nullif(devices, 0) END AS per_100_devices,
           CASE WHEN unit = 'count' THEN 100.0 * value / nullif(pupils, 0) END AS per_100_pupils
    FROM authority_figures
), c AS (
    SELECT *, CASE WHEN volume THEN per_100_devices ELSE value END AS compared FROM f
), r AS (
    SELECT *,
           CASE WHEN compared IS NULL OR better = 'neither' THEN NULL
                WHEN better = 'lower' THEN rank() OVER (PARTITION BY kpi, compared IS NULL ORDER BY compared ASC)
                ELSE rank() OVER (PARTITION BY kpi, compared IS NULL ORDER BY compared DESC) END AS position,
           count(compared) OVER (PARTITION BY kpi) AS "of"
    FROM c
)
SELECT kpi, authority,
       CASE WHEN anonymised AND NOT own AND volume THEN NULL ELSE value END AS value,
       unit, per_100_devices, per_100_pupils, position,
       CASE WHEN position IS NOT NULL THEN "of" END AS "of"
FROM r
ORDER BY kpi_pos, position NULLS LAST, authority
