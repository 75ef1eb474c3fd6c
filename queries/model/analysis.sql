-- Derived tables, rebuilt at every analysis run from the canonical tables and the
-- configuration (cfg_groups, cfg_priorities are loaded from kennzahl.toml first).
-- Definitions (also in docs/model.md):
--   * An event "sets" a status class when it is a status change, resolved, closed,
--     reopened, or the created event (class "new"). It "sets" a group when it is an
--     assignment to a group.
--   * A segment runs from one setting event to the next one of the same ticket (by seq);
--     the last segment of a ticket is open (to_at NULL).
--   * First response: the first public reply, the first status change to a class other
--     than "new", or the first resolution, whichever is earliest.
--   * First resolution: the first event that sets "resolved" or "closed" (a ticket closed
--     without a resolution step is resolved at closing). Cancelled tickets are never resolved.
--   * Reopen: a segment in an active class whose previous segment was resolved or closed.

CREATE OR REPLACE TEMP TABLE ev AS
SELECT e.*,
       CASE e.kind
           WHEN 'created'  THEN 'new'
           WHEN 'status'   THEN e.status_class
           WHEN 'resolved' THEN coalesce(e.status_class, 'resolved')
           WHEN 'closed'   THEN coalesce(e.status_class, 'closed')
           WHEN 'reopened' THEN coalesce(e.status_class, 'open')
       END AS set_status,
       CASE WHEN e.kind = 'assign_group' THEN e.group_name END AS set_group
FROM events e
UNION ALL BY NAME
-- Tickets imported without a created event get one at their creation instant (seq 0).
SELECT t.source, t.ticket_id, 0 AS seq, t.created_at AS event_at, 'created' AS kind,
       'new' AS set_status, NULL AS set_group
FROM tickets t
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.source = t.source AND e.ticket_id = t.ticket_id AND e.kind = 'created');

CREATE OR REPLACE TEMP TABLE segments AS
WITH carried AS (
    SELECT source, ticket_id, seq, event_at,
           last_value(set_status IGNORE NULLS) OVER w AS status_class,
           last_value(set_group IGNORE NULLS) OVER w AS group_name,
           (set_status IS NOT NULL OR set_group IS NOT NULL) AS boundary
    FROM ev
    WINDOW w AS (PARTITION BY source, ticket_id ORDER BY seq
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), b AS (
    SELECT * FROM carried WHERE boundary
)
SELECT b.source, b.ticket_id, b.seq,
       b.event_at AS from_at,
       lead(b.event_at) OVER (PARTITION BY b.source, b.ticket_id ORDER BY b.seq) AS to_at,
       coalesce(b.status_class, 'new') AS status_class,
       lag(coalesce(b.status_class, 'new')) OVER (PARTITION BY b.source, b.ticket_id ORDER BY b.seq) AS prev_status_class,
       b.group_name,
       coalesce(g.level, 1) AS level,
       g.vendor
FROM b
LEFT JOIN cfg_groups g ON g.name = b.group_name;

CREATE OR REPLACE TEMP TABLE ticket_facts AS
WITH ev_agg AS (
    SELECT source, ticket_id,
           min(event_at) FILTER (WHERE kind = 'reply_public'
                              OR (kind = 'status' AND status_class NOT IN ('new'))
                              OR set_status IN ('resolved', 'closed')) AS first_response_at,
           min(event_at) FILTER (WHERE set_status IN ('resolved', 'closed')) AS first_resolved_at,
           max(event_at) FILTER (WHERE set_status IN ('resolved', 'closed')) AS last_resolved_at,
           max(event_at) FILTER (WHERE set_status = 'closed') AS closed_at,
           sum(value) FILTER (WHERE kind = 'effort') AS effort_event_minutes
    FROM ev
    GROUP BY ALL
), seg_agg AS (
    SELECT source, ticket_id,
           count(*) FILTER (WHERE prev_status_class IN ('resolved', 'closed')
                              AND status_class NOT IN ('resolved', 'closed', 'cancelled')) AS reopen_count,
           max(level) AS max_level,
           bool_or(vendor IS NOT NULL OR status_class = 'waiting_vendor') AS reached_vendor
    FROM segments
    GROUP BY ALL
), base AS (
    SELECT t.*, s.name AS school_name, coalesce(s.school_type, 'unknown') AS school_type,
           a.first_response_at,
           CASE WHEN t.status = 'cancelled' AND a.first_resolved_at IS NULL THEN NULL ELSE a.first_resolved_at END AS first_resolved_at,
           a.last_resolved_at, a.closed_at,
           coalesce(a.effort_event_minutes, t.effort_minutes) AS effort_total_minutes,
           coalesce(g.reopen_count, 0) AS reopen_count,
           coalesce(g.max_level, 1) AS max_level,
           coalesce(g.reached_vendor, false) AS reached_vendor
    FROM tickets t
    LEFT JOIN schools s USING (school_id)
    LEFT JOIN ev_agg a USING (source, ticket_id)
    LEFT JOIN seg_agg g USING (source, ticket_id)
), clock AS (
    -- Business seconds of each segment up to the first resolution, split by what pauses it.
    SELECT b.source, b.ticket_id,
           sum(bsecs(b.school_id, greatest(sg.from_at, b.created_at),
                     least(coalesce(sg.to_at, b.first_resolved_at), b.first_resolved_at)))
               FILTER (WHERE sg.status_class <> 'waiting_customer') AS resolution_bsecs,
           sum(bsecs(b.school_id, greatest(sg.from_at, b.created_at),
                     least(coalesce(sg.to_at, b.first_resolved_at), b.first_resolved_at)))
               FILTER (WHERE sg.status_class NOT IN ('waiting_customer', 'waiting_vendor') AND sg.vendor IS NULL) AS own_bsecs
    FROM base b
    JOIN segments sg ON sg.source = b.source AND sg.ticket_id = b.ticket_id
    WHERE b.first_resolved_at IS NOT NULL AND sg.from_at < b.first_resolved_at
    GROUP BY ALL
)
SELECT b.*,
       bsecs(b.school_id, b.created_at, b.first_response_at) AS response_bsecs,
       CASE WHEN b.first_resolved_at IS NOT NULL THEN coalesce(c.resolution_bsecs, 0) END AS resolution_bsecs,
       CASE WHEN b.first_resolved_at IS NOT NULL THEN coalesce(c.own_bsecs, 0) END AS own_bsecs,
       p.response_hours AS response_target_hours,
       p.resolution_hours AS resolution_target_hours,
       bsecs(b.school_id, b.created_at, b.first_response_at) <= p.response_hours * 3600 AS response_met,
       CASE WHEN b.first_resolved_at IS NOT NULL THEN coalesce(c.resolution_bsecs, 0) <= p.resolution_hours * 3600 END AS resolution_met
FROM base b
LEFT JOIN clock c USING (source, ticket_id)
LEFT JOIN cfg_priorities p ON p.priority = b.priority;
