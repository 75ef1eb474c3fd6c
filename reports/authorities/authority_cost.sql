-- The provider's team cost shared out by the workload each school authority causes: its
-- tickets' hours a year at levels 1–3 and the travel to its schools (authority_workload, from
-- the authority's own staffing estimate), as a share of all authorities' hours, times the
-- personnel cost a year of the provider's staffing estimate (provider_cost). Non-ticket tasks
-- and the cross-cutting share are shared in the same proportion. An authority's edition shows
-- its own row only. Columns: authority_cost.toml.
WITH w AS (
    SELECT authority, own, anonymised,
           sum(level1_h) AS level1_h, sum(level2_h) AS level2_h, sum(level3_h) AS level3_h,
           sum(travel_h) AS travel_h,
           sum(level1_h + level2_h + level3_h + travel_h) AS hours
    FROM authority_workload
    GROUP BY ALL
), s AS (
    SELECT *, hours / nullif(sum(hours) OVER (), 0) AS share FROM w
)
SELECT authority, level1_h, level2_h, level3_h, travel_h, hours,
       100.0 * share AS share_pct, share * c.personnel_cost AS cost
FROM s, provider_cost c
WHERE NOT anonymised OR own
ORDER BY hours DESC, authority
