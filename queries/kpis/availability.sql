-- Availability of the IT services against their service sheets ([[availability]] in
-- kennzahl.toml), in the service time of the municipality's calendar. Definition in
-- availability.toml. Reads outages, schools, cfg_availability, service_windows (the open
-- windows of the calendar as UTC instants) and service_years (the UTC bounds of the local
-- calendar years); the breakdown is getvariable('dimension'): 'service' or 'all'.
-- Versions of the targets (cfg_availability.valid_from/valid_to): the quarter is judged
-- against the version in force at its start, each outage's length and restore time against
-- the version in force when it began.
WITH p AS (
    -- The quarter, and the year to date: local 1 January of the quarter's year to its end.
    SELECT getvariable('q_start') AS q_start, getvariable('q_end') AS q_end,
           (SELECT y.start_at FROM service_years y
            WHERE y.start_at <= getvariable('q_start') AND getvariable('q_start') < y.end_at) AS y_start
), tq AS (
    -- The targets in force at the start of the quarter.
    SELECT c.* FROM cfg_availability c, p
    WHERE (c.valid_from IS NULL OR c.valid_from <= p.q_start)
      AND (c.valid_to IS NULL OR p.q_start < c.valid_to)
), o AS (
    -- The outages that touch the year to date. One still open lasts until the quarter end.
    SELECT x.service, x.school_id, x.planned, x.start_at,
           greatest(coalesce(x.end_at, p.q_end), x.start_at) AS end_at,
           row_number() OVER (ORDER BY x.service, x.school_id, x.start_at, x.end_at, x.planned) AS oid
    FROM outages x, p
    WHERE x.start_at < p.q_end
      AND (x.start_at >= p.y_start OR coalesce(x.end_at, p.q_end) > p.y_start)
), u AS (
    -- Planned maintenance windows do not count against availability.
    SELECT * FROM o WHERE NOT planned
), n AS (
    -- The schools: the register, and any school an outage names that the register lacks.
    SELECT greatest(count(*), 1) AS n
    FROM (SELECT school_id FROM schools UNION SELECT school_id FROM outages WHERE school_id IS NOT NULL)
), own AS (
    -- Schools with an unplanned outage of their own, per service.
    SELECT DISTINCT service, school_id FROM u WHERE school_id IS NOT NULL
), own_n AS (
    SELECT service, count(*) AS k FROM own GROUP BY service
), sets AS (
    -- A school's downtime of a service is the union of the outages for every school and its
    -- own outages. The schools without an own outage share the union of the outages for
    -- every school (school_id NULL); each school with one has its own union.
    SELECT u.service, CAST(NULL AS VARCHAR) AS school_id, u.start_at, u.end_at
    FROM u WHERE u.school_id IS NULL
    UNION ALL
    SELECT s.service, s.school_id, u.start_at, u.end_at
    FROM own s JOIN u ON u.service = s.service AND (u.school_id = s.school_id OR u.school_id IS NULL)
), clipped AS (
    SELECT sets.service, sets.school_id,
           greatest(sets.start_at, p.y_start) AS a, least(sets.end_at, p.q_end) AS b
    FROM sets, p
    WHERE greatest(sets.start_at, p.y_start) < least(sets.end_at, p.q_end)
), runs AS (
    SELECT *, max(b) OVER (PARTITION BY service, school_id ORDER BY a, b
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_b
    FROM clipped
), islands AS (
    -- Overlapping outages merged: each instant counts once.
    SELECT service, school_id, min(a) AS a, max(b) AS b
    FROM (SELECT *, sum(CASE WHEN prev_b IS NULL OR a > prev_b THEN 1 ELSE 0 END)
                        OVER (PARTITION BY service, school_id ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS island
          FROM runs)
    GROUP BY service, school_id, island
), down AS (
    -- Downtime in service seconds, weighted by the schools it hit: the union for every
    -- school counts for the schools without an own outage, each school's union for one.
    SELECT i.service,
           sum(CASE WHEN i.school_id IS NULL THEN n.n - coalesce(k.k, 0) ELSE 1 END
               * date_diff('microsecond', greatest(i.a, w.start_at), least(i.b, w.end_at))) / 1e6 AS ytd_secs,
           sum(CASE WHEN i.school_id IS NULL THEN n.n - coalesce(k.k, 0) ELSE 1 END
               * greatest(date_diff('microsecond', greatest(i.a, w.start_at, p.q_start), least(i.b, w.end_at)), 0)) / 1e6 AS q_secs
    FROM islands i
    JOIN service_windows w ON w.start_at < i.b AND w.end_at > i.a
    LEFT JOIN own_n k ON k.service = i.service
    CROSS JOIN n
    CROSS JOIN p
    GROUP BY i.service
), total AS (
    -- Service seconds of the periods.
    SELECT sum(date_diff('microsecond', greatest(w.start_at, p.y_start), least(w.end_at, p.q_end))) / 1e6 AS ytd_secs,
           sum(greatest(date_diff('microsecond', greatest(w.start_at, p.q_start), least(w.end_at, p.q_end)), 0)) / 1e6 AS q_secs
    FROM service_windows w, p
    WHERE w.start_at < p.q_end AND w.end_at > p.y_start
), dur AS (
    -- Each unplanned outage that began in the quarter: its whole duration in service
    -- seconds (to its end, also after the quarter; an open one to the quarter end).
    SELECT u.oid, u.service, u.start_at,
           -- (greatest and least skip NULLs: without a window the outage has 0 seconds.)
           coalesce(sum(date_diff('microsecond', greatest(u.start_at, w.start_at), least(u.end_at, w.end_at)))
                        FILTER (WHERE w.start_at IS NOT NULL), 0) / 1e6 AS secs
    FROM u
    CROSS JOIN p
    LEFT JOIN service_windows w ON w.start_at < u.end_at AND w.end_at > u.start_at
    WHERE u.start_at >= p.q_start
    GROUP BY u.oid, u.service, u.start_at
), dur_agg AS (
    -- Each outage against the limits in force when it began.
    SELECT d.service, max(d.secs) AS longest_secs,
           count(*) FILTER (WHERE d.secs > c.max_outage_minutes * 60) AS over_max,
           count(*) FILTER (WHERE d.secs > c.rto_hours * 3600) AS over_rto,
           bool_or(c.max_outage_minutes IS NOT NULL) AS max_limited,
           bool_or(c.rto_hours IS NOT NULL) AS rto_limited
    FROM dur d
    LEFT JOIN cfg_availability c ON c.service = d.service
         AND (c.valid_from IS NULL OR c.valid_from <= d.start_at)
         AND (c.valid_to IS NULL OR d.start_at < c.valid_to)
    GROUP BY d.service
), cnt AS (
    SELECT o.service,
           count(*) FILTER (WHERE NOT o.planned AND o.start_at >= p.q_start) AS outages_quarter,
           count(*) FILTER (WHERE NOT o.planned AND o.start_at >= p.y_start) AS outages_ytd,
           count(*) FILTER (WHERE NOT o.planned AND o.start_at >= p.q_start AND o.school_id IS NOT NULL) AS school_outages_quarter,
           count(*) FILTER (WHERE o.planned AND o.start_at >= p.q_start) AS planned_quarter
    FROM o, p
    GROUP BY o.service
), per_service AS (
    -- The services with targets in force at the quarter's start, and any other service with
    -- an outage in the year to date.
    SELECT s.service,
           coalesce(d.q_secs, 0) AS q_down, n.n * t.q_secs AS q_den,
           coalesce(d.ytd_secs, 0) AS ytd_down, n.n * t.ytd_secs AS ytd_den,
           coalesce(x.outages_quarter, 0) AS outages_quarter,
           coalesce(x.outages_ytd, 0) AS outages_ytd,
           coalesce(x.school_outages_quarter, 0) AS school_outages_quarter,
           coalesce(x.planned_quarter, 0) AS planned_quarter,
           g.longest_secs,
           CASE WHEN c.max_outage_minutes IS NOT NULL OR g.max_limited THEN coalesce(g.over_max, 0) END AS over_max,
           CASE WHEN c.rto_hours IS NOT NULL OR g.rto_limited THEN coalesce(g.over_rto, 0) END AS over_rto,
           c.service IS NOT NULL AS has_targets,
           c.min_pct, c.max_outages_per_year, c.max_outage_minutes, c.rto_hours
    FROM (SELECT service FROM tq UNION SELECT service FROM o) s
    CROSS JOIN n
    CROSS JOIN total t
    LEFT JOIN down d USING (service)
    LEFT JOIN cnt x USING (service)
    LEFT JOIN dur_agg g USING (service)
    LEFT JOIN tq c USING (service)
), rated AS (
    SELECT *,
           100.0 * (1 - q_down / nullif(q_den, 0)) AS quarter_pct,
           100.0 * (1 - ytd_down / nullif(ytd_den, 0)) AS ytd_pct
    FROM per_service
), judged AS (
    -- Met: the quarter's availability at least the target (a target met exactly is met),
    -- the year's outages so far at most the yearly maximum, and no outage of the quarter
    -- longer than the longest allowed or over the RTO.
    SELECT *,
           CASE WHEN NOT has_targets OR quarter_pct IS NULL THEN NULL
                WHEN quarter_pct >= min_pct - 1e-9
                 AND (max_outages_per_year IS NULL OR outages_ytd <= max_outages_per_year)
                 AND coalesce(over_max, 0) = 0 AND coalesce(over_rto, 0) = 0 THEN 1 ELSE 0 END AS met
    FROM rated
)
SELECT service AS key, quarter_pct, ytd_pct, outages_quarter, outages_ytd,
       school_outages_quarter, planned_quarter,
       longest_secs / 60.0 AS longest_minutes,
       over_max AS over_max_minutes, over_rto,
       min_pct AS target_pct, max_outages_per_year AS target_max_outages,
       max_outage_minutes AS target_max_minutes, rto_hours AS target_rto_hours,
       met
FROM judged
WHERE getvariable('dimension') = 'service'
UNION ALL
-- All services together: the downtime of every service over the service time of every
-- service (the mean of the services' availability), counts summed, met when every
-- service with targets met them.
SELECT 'all' AS key,
       100.0 * (1 - sum(q_down) / nullif(sum(q_den), 0)) AS quarter_pct,
       100.0 * (1 - sum(ytd_down) / nullif(sum(ytd_den), 0)) AS ytd_pct,
       sum(outages_quarter), sum(outages_ytd), sum(school_outages_quarter), sum(planned_quarter),
       max(longest_secs) / 60.0, sum(over_max), sum(over_rto),
       NULL, NULL, NULL, NULL,
       min(met)
FROM judged
WHERE getvariable('dimension') = 'all'
HAVING count(*) > 0
