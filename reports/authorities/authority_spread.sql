-- The spread across the school authorities per headline KPI: how many have a value, the
-- minimum, the quartiles (continuous, as DuckDB's quantile_cont), the median and the maximum
-- of the compared figure (per 100 devices for counts, the value otherwise).
-- Columns: authority_spread.toml.
WITH c AS (
    SELECT kpi_pos, kpi,
           CASE WHEN unit = 'count' THEN 100.0 * value / nullif(devices, 0) ELSE value END AS compared,
           CASE WHEN unit = 'count' THEN 'per_100_devices' ELSE 'value' END AS basis,
           CASE WHEN unit = 'count' THEN 'ratio' ELSE unit END AS shown_unit
    FROM authority_figures
)
SELECT kpi, any_value(basis) AS compared, count(compared) AS authorities,
       min(compared) AS minimum, quantile_cont(compared, 0.25) AS q1,
       quantile_cont(compared, 0.5) AS median, quantile_cont(compared, 0.75) AS q3,
       max(compared) AS maximum, any_value(shown_unit) AS unit
FROM c
GROUP BY kpi_pos, kpi
ORDER BY kpi_pos
