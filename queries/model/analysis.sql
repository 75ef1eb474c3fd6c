-- Derived tables, computed by kennzahl at import (for the tickets an import touched) and
-- whenever kennzahl.toml's calendars, groups or targets change (src/derived.rs), from the
-- canonical tables and the configuration tables cfg_groups, cfg_priorities and
-- cfg_vendor_targets. This file reads the views scope_tickets and scope_events
-- (all tickets, or only those to refresh) and leaves the tables d_segments, d_ticket_facts,
-- d_handoffs and d_effort_entries, which src/derived.rs installs as segments, ticket_facts,
-- handoffs and effort_entries (renamed in a rebuild, merged in a refresh). Every service-time figure a KPI needs is computed here, so the KPI SQL
-- runs on plain DuckDB too (e.g. on the Parquet lake of `kennzahl export`).
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
--   * Targets in time: a ticket is measured against the version of its priority's targets
--     in force at its creation (cfg_priorities.valid_from <= created_at < valid_to, NULL
--     bounds open), a vendor handoff against the version of the contract's target in force
--     when it was handed over. Service time is counted with the calendar's rules in force
--     at each instant (bsecs).

-- Tickets imported without a created event get one at their creation instant (seq 0).
CREATE OR REPLACE TEMP TABLE ev_created AS
SELECT t.source, t.ticket_id, 0 AS seq, t.created_at AS event_at
FROM scope_tickets t
WHERE NOT EXISTS (SELECT 1 FROM scope_events e WHERE e.source = t.source AND e.ticket_id = t.ticket_id AND e.kind = 'created');

-- The events with what each one sets. A view, not a copy: the events are read where needed.
CREATE OR REPLACE TEMP VIEW ev AS
SELECT e.*,
       CASE e.kind
           WHEN 'created'  THEN 'new'
           WHEN 'status'   THEN e.status_class
           WHEN 'resolved' THEN coalesce(e.status_class, 'resolved')
           WHEN 'closed'   THEN coalesce(e.status_class, 'closed')
           WHEN 'reopened' THEN coalesce(e.status_class, 'open')
       END AS set_status,
       CASE WHEN e.kind = 'assign_group' THEN e.group_name END AS set_group
FROM scope_events e
UNION ALL BY NAME
SELECT c.source, c.ticket_id, c.seq, c.event_at, 'created' AS kind, 'new' AS set_status, NULL AS set_group
FROM ev_created c;

-- Segments start at the boundary events (those that set a status or a group); the other
-- events (replies, notes, effort) do not change who holds the ticket or its status, so the
-- windows run over the boundary rows only.
-- An assignment to a group that is not a vendor's ends a wait for a vendor: the ticket has
-- come back (HP Service Manager, for one, records no status change when it does).
CREATE OR REPLACE TEMP TABLE segments0 AS
WITH b0 AS (
    SELECT e.source, e.ticket_id, e.seq, e.event_at, e.set_status, e.set_group,
           g.vendor AS set_group_vendor
    FROM ev e
    LEFT JOIN cfg_groups g ON g.name = e.set_group
    WHERE e.set_status IS NOT NULL OR e.set_group IS NOT NULL
), b1 AS (
    SELECT b0.* REPLACE (
               CASE WHEN set_status IS NULL AND set_group IS NOT NULL AND set_group_vendor IS NULL
                     AND last_value(set_status IGNORE NULLS) OVER (
                             PARTITION BY source, ticket_id ORDER BY seq
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) = 'waiting_vendor'
                    THEN 'open' ELSE set_status END AS set_status)
    FROM b0
), b2 AS (
    -- One sort: the status and group carried forward, the previous segment's status, the
    -- next boundary's instant.
    SELECT source, ticket_id, seq,
           event_at AS from_at,
           lead(event_at) OVER (PARTITION BY source, ticket_id ORDER BY seq) AS to_at,
           coalesce(last_value(set_status IGNORE NULLS) OVER (
               PARTITION BY source, ticket_id ORDER BY seq
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 'new') AS status_class,
           CASE WHEN lag(seq) OVER (PARTITION BY source, ticket_id ORDER BY seq) IS NOT NULL
                THEN coalesce(last_value(set_status IGNORE NULLS) OVER (
                         PARTITION BY source, ticket_id ORDER BY seq
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 'new') END AS prev_status_class,
           last_value(set_group IGNORE NULLS) OVER (
               PARTITION BY source, ticket_id ORDER BY seq
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS group_name
    FROM b1
)
-- Unassigned time is the service desk's (level 1); a group kennzahl.toml does not list has
-- an unknown level (NULL), never a silent level 1.
SELECT b2.*, CASE WHEN b2.group_name IS NULL THEN 1 ELSE g.level END AS level, g.vendor
FROM b2
LEFT JOIN cfg_groups g ON g.name = b2.group_name;

CREATE OR REPLACE TEMP TABLE d_ev_agg AS
SELECT source, ticket_id,
       min(event_at) FILTER (WHERE kind = 'reply_public'
                          OR (kind = 'status' AND status_class NOT IN ('new'))
                          OR set_status IN ('resolved', 'closed')) AS first_response_at,
       min(event_at) FILTER (WHERE set_status IN ('resolved', 'closed')) AS first_resolved_at,
       max(event_at) FILTER (WHERE set_status IN ('resolved', 'closed')) AS last_resolved_at,
       max(event_at) FILTER (WHERE set_status = 'closed') AS closed_at,
       sum(value) FILTER (WHERE kind = 'effort') AS effort_event_minutes
FROM ev
GROUP BY ALL;

-- Effort as booked: effort events at the level of the group whose member booked them, and
-- for tickets that only carry a total (tickets.effort_minutes, no effort events) that total,
-- booked at the first resolution with the level unknown.
CREATE OR REPLACE TABLE main.d_effort_entries AS
SELECT e.source, e.ticket_id, e.event_at AS booked_at, e.value AS minutes, g.level, g.vendor
FROM ev e
LEFT JOIN cfg_groups g ON g.name = e.actor_group
WHERE e.kind = 'effort'
UNION ALL
SELECT t.source, t.ticket_id, a.first_resolved_at AS booked_at, t.effort_minutes AS minutes,
       NULL::INTEGER AS level, NULL::VARCHAR AS vendor
FROM scope_tickets t
JOIN d_ev_agg a ON a.source = t.source AND a.ticket_id = t.ticket_id
WHERE t.effort_minutes IS NOT NULL AND a.effort_event_minutes IS NULL;

-- Each segment in service seconds of the ticket's calendar (NULL while it runs), and the
-- part of it between the ticket's creation and its first resolution (resolution_secs;
-- NULL for unresolved tickets and for segments that start at or after the resolution).
-- The resolution clock, the OLA clock and the breach analysis all sum resolution_secs.
CREATE OR REPLACE TABLE main.d_segments AS
SELECT s.*,
       bsecs(t.school_id, s.from_at, s.to_at) AS service_secs,
       CASE WHEN a.first_resolved_at IS NOT NULL AND s.from_at < a.first_resolved_at
            THEN bsecs(t.school_id, greatest(s.from_at, t.created_at),
                       least(coalesce(s.to_at, a.first_resolved_at), a.first_resolved_at)) END AS resolution_secs
FROM segments0 s
LEFT JOIN scope_tickets t ON t.source = s.source AND t.ticket_id = s.ticket_id
LEFT JOIN d_ev_agg a ON a.source = s.source AND a.ticket_id = s.ticket_id;
DROP TABLE segments0;

CREATE OR REPLACE TABLE main.d_ticket_facts AS
WITH seg_agg AS (
    SELECT source, ticket_id,
           count(*) FILTER (WHERE prev_status_class IN ('resolved', 'closed')
                              AND status_class NOT IN ('resolved', 'closed', 'cancelled')) AS reopen_count,
           max(level) AS max_level,
           bool_or(level IS NULL) AS unknown_groups,
           bool_or(vendor IS NOT NULL OR status_class = 'waiting_vendor') AS reached_vendor,
           -- Business seconds up to the first resolution, split by what pauses the clock.
           sum(resolution_secs) FILTER (WHERE status_class <> 'waiting_customer') AS resolution_bsecs,
           sum(resolution_secs) FILTER (WHERE status_class NOT IN ('waiting_customer', 'waiting_vendor') AND vendor IS NULL) AS own_bsecs
    FROM d_segments
    GROUP BY ALL
), base AS (
    -- The ticket's school authority: the export's where it names one, else the school's.
    SELECT t.* REPLACE (coalesce(t.authority_id, s.authority_id) AS authority_id),
           s.name AS school_name, coalesce(s.school_type, 'unknown') AS school_type,
           a.first_response_at,
           a.first_resolved_at,
           a.last_resolved_at, a.closed_at,
           coalesce(a.effort_event_minutes, t.effort_minutes) AS effort_total_minutes,
           coalesce(g.reopen_count, 0) AS reopen_count,
           coalesce(g.max_level, 1) AS max_level,
           -- Held by a group not in kennzahl.toml at some time: its level is unknown.
           coalesce(g.unknown_groups, false) AS unknown_groups,
           coalesce(g.reached_vendor, false) AS reached_vendor,
           g.resolution_bsecs AS clock_resolution_bsecs,
           g.own_bsecs AS clock_own_bsecs
    FROM scope_tickets t
    LEFT JOIN schools s USING (school_id)
    LEFT JOIN d_ev_agg a USING (source, ticket_id)
    LEFT JOIN seg_agg g USING (source, ticket_id)
), clock AS (
    -- The resolution clock is known when creation and first resolution lie inside the
    -- calendar table (bsecs is NULL outside it, e.g. for a placeholder 1970-01-01): every
    -- clipped segment lies between the two. Unknown stays NULL, never 0.
    SELECT b.*,
           CASE WHEN bsecs(b.school_id, b.created_at, b.first_resolved_at) IS NOT NULL
                THEN coalesce(b.clock_resolution_bsecs, 0) END AS res_bsecs,
           CASE WHEN bsecs(b.school_id, b.created_at, b.first_resolved_at) IS NOT NULL
                THEN coalesce(b.clock_own_bsecs, 0) END AS own_clock_bsecs
    FROM base b
)
SELECT b.* EXCLUDE (clock_resolution_bsecs, clock_own_bsecs, res_bsecs, own_clock_bsecs),
       bsecs(b.school_id, b.created_at, b.first_response_at) AS response_bsecs,
       b.res_bsecs AS resolution_bsecs,
       b.own_clock_bsecs AS own_bsecs,
       p.response_hours AS response_target_hours,
       p.resolution_hours AS resolution_target_hours,
       bsecs(b.school_id, b.created_at, b.first_response_at) <= p.response_hours * 3600 AS response_met,
       b.res_bsecs <= p.resolution_hours * 3600 AS resolution_met
FROM clock b
LEFT JOIN cfg_priorities p ON p.priority = b.priority
     AND (p.valid_from IS NULL OR p.valid_from <= b.created_at)
     AND (p.valid_to IS NULL OR b.created_at < p.valid_to);

-- Vendor handoffs: maximal runs of consecutive segments in which a vendor holds the ticket
-- (a group with `vendor` set) or it waits for a vendor, and which are not resolved, closed
-- or cancelled. A handoff ends when the ticket comes back (returned), is resolved or
-- cancelled; a handoff still running has no end. The vendor's acknowledgement is the first
-- event inside the handoff by a member of the vendor's group (reply, note, status, effort);
-- without one it is unknown. Durations are business seconds in the ticket's calendar.
-- Only tickets that were ever with a vendor can have a handoff: their segments.
CREATE OR REPLACE TEMP TABLE vseg AS
SELECT sg.*
FROM d_segments sg
SEMI JOIN (SELECT DISTINCT source, ticket_id FROM d_segments
           WHERE (vendor IS NOT NULL OR status_class = 'waiting_vendor')
             AND status_class NOT IN ('resolved', 'closed', 'cancelled')) v
     ON v.source = sg.source AND v.ticket_id = sg.ticket_id;

CREATE OR REPLACE TABLE main.d_handoffs AS
WITH s AS (
    SELECT sg.*,
           ((sg.vendor IS NOT NULL OR sg.status_class = 'waiting_vendor')
            AND sg.status_class NOT IN ('resolved', 'closed', 'cancelled')) AS at_vendor
    FROM vseg sg
), s1 AS (
    SELECT *, coalesce(lag(at_vendor) OVER w, false) AS prev_at,
           lead(status_class) OVER w AS next_status_class
    FROM s
    WINDOW w AS (PARTITION BY source, ticket_id ORDER BY seq)
), s2 AS (
    SELECT *, sum(CASE WHEN at_vendor AND NOT prev_at THEN 1 ELSE 0 END)
                  OVER (PARTITION BY source, ticket_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS run_no
    FROM s1
), ended AS (
    -- A run ends with its last segment: its end is the handoff's end, and the status of the
    -- segment after it says how the handoff ended.
    SELECT source, ticket_id, run_no,
           min(from_at) AS handed_at,
           arg_max_null(to_at, seq) AS ended_at,
           arg_max_null(next_status_class, seq) AS next_status,
           coalesce(first(vendor ORDER BY seq) FILTER (WHERE vendor IS NOT NULL), 'unknown') AS vendor
    FROM s2
    WHERE at_vendor
    GROUP BY ALL
), acked AS (
    SELECT e.source, e.ticket_id, e.run_no, min(ev.event_at) AS ack_at
    FROM ended e
    JOIN ev ON ev.source = e.source AND ev.ticket_id = e.ticket_id
         AND ev.event_at >= e.handed_at AND (e.ended_at IS NULL OR ev.event_at <= e.ended_at)
    JOIN cfg_groups g ON g.name = ev.actor_group AND g.vendor = e.vendor
    GROUP BY ALL
)
SELECT e.source, e.ticket_id, e.run_no AS handoff_no, e.vendor, e.handed_at, e.ended_at,
       CASE WHEN e.ended_at IS NULL THEN 'open'
            WHEN e.next_status IN ('resolved', 'closed') THEN 'resolved'
            WHEN e.next_status = 'cancelled' THEN 'cancelled'
            ELSE 'returned' END AS outcome,
       a.ack_at,
       bsecs(t.school_id, e.handed_at, a.ack_at) AS ack_bsecs,
       bsecs(t.school_id, e.handed_at, e.ended_at) AS vendor_bsecs,
       -- Returned unsolved and later handed to the same vendor again.
       (e.next_status NOT IN ('resolved', 'closed', 'cancelled') AND EXISTS (
            SELECT 1 FROM ended r2 WHERE r2.source = e.source AND r2.ticket_id = e.ticket_id
              AND r2.run_no > e.run_no AND r2.vendor = e.vendor)) AS bounced,
       -- Resolved by the vendor and reopened afterwards.
       (e.next_status IN ('resolved', 'closed') AND EXISTS (
            SELECT 1 FROM vseg r WHERE r.source = e.source AND r.ticket_id = e.ticket_id
              AND r.from_at >= e.ended_at AND r.prev_status_class IN ('resolved', 'closed')
              AND r.status_class NOT IN ('resolved', 'closed', 'cancelled'))) AS reopened_after_fix,
       -- The same in the vendor's contract calendar ([[vendors]] calendar; else the municipality's)
       -- against the underpinning contract's targets for the ticket's priority, in the
       -- version of the contract in force when the ticket was handed over.
       bsecs('vendor:' || e.vendor, e.handed_at, a.ack_at) AS ack_contract_bsecs,
       bsecs('vendor:' || e.vendor, e.handed_at, e.ended_at) AS contract_bsecs,
       vt.response_hours AS uc_response_hours,
       vt.resolution_hours AS uc_resolution_hours,
       bsecs('vendor:' || e.vendor, e.handed_at, a.ack_at) <= vt.response_hours * 3600 AS uc_response_met,
       bsecs('vendor:' || e.vendor, e.handed_at, e.ended_at) <= vt.resolution_hours * 3600 AS uc_resolution_met,
       t.school_id, t.service, t.priority,
       coalesce(t.authority_id, sch.authority_id) AS authority_id
FROM ended e
JOIN scope_tickets t ON t.source = e.source AND t.ticket_id = e.ticket_id
LEFT JOIN schools sch ON sch.school_id = t.school_id
LEFT JOIN acked a ON a.source = e.source AND a.ticket_id = e.ticket_id AND a.run_no = e.run_no
LEFT JOIN cfg_vendor_targets vt ON vt.vendor = e.vendor AND vt.priority = t.priority
     AND (vt.valid_from IS NULL OR vt.valid_from <= e.handed_at)
     AND (vt.valid_to IS NULL OR e.handed_at < vt.valid_to)
-- Runs of no duration are artefacts of events at the same instant (a reopen while the
-- vendor's group is still set, immediately followed by the assignment back), not handoffs.
WHERE e.ended_at IS NULL OR e.ended_at > e.handed_at;
DROP VIEW ev;
DROP TABLE ev_created;
DROP TABLE d_ev_agg;
DROP TABLE vseg;
