-- Events. Semantics: exact duplicate rows inside an import are merged into one (the first by
-- file and line); the order within a ticket is event_at, the given seq, the kind rule, file,
-- line; a ticket's events are replaced as a whole by the import's; a history equal to the
-- workspace's counts as merged; events of unknown tickets are rejected with a reason.
--
-- The plan finds exact duplicates by a per-row content hash (comparing whole rows only
-- where hashes repeat), numbers the events per ticket in one window, and compares whole
-- histories per ticket by fingerprint, so only tickets whose history differs are deleted
-- and inserted.
-- This script prepares; then one of two finishes it (chosen in src/import/merge.rs):
-- events_new.sql when the workspace holds none of the staged tickets (a first import: every
-- history is inserted straight from the numbering, nothing is compared or deleted), else
-- events_replace.sql.

-- Staged tickets that exist (in this import's tickets, already merged, or the workspace).
CREATE OR REPLACE TEMP TABLE _ek AS
SELECT k.source, k.ticket_id
FROM (SELECT DISTINCT source, ticket_id FROM stg_events) k
SEMI JOIN tickets t ON t.source = k.source AND t.ticket_id = k.ticket_id;

INSERT INTO _merge_rejects
SELECT _input, _line, 'ticket_id', ticket_id, 'no ticket with this id (source ' || source || ') in this import or the workspace'
FROM stg_events e ANTI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id;

-- Exact duplicates: only rows whose content hash occurs more than once are compared
-- column by column (a hash aggregate of one 64-bit value instead of grouping every column);
-- of each group of equal rows the first by file and line stays, the others are dropped.
CREATE OR REPLACE TEMP TABLE _dup_h AS
SELECT hash(source, ticket_id, event_at, kind, status_class, status_raw, group_name, actor_group, agent, value, ref) AS _h
FROM stg_events GROUP BY 1 HAVING count(*) > 1;
CREATE OR REPLACE TEMP TABLE _drop AS
SELECT _input, _line FROM (
    SELECT _input, _line,
           row_number() OVER (PARTITION BY source, ticket_id, event_at, kind, status_class, status_raw, group_name,
                                           actor_group, agent, value, ref ORDER BY _input, _line) AS _dup
    FROM stg_events e SEMI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id
    WHERE hash(source, ticket_id, event_at, kind, status_class, status_raw, group_name, actor_group, agent, value, ref)
          IN (SELECT _h FROM _dup_h))
WHERE _dup > 1;

-- The distinct events of known tickets, numbered in the documented order (a view: the
-- fresh path streams it straight into events).
CREATE OR REPLACE TEMP VIEW _ev AS
SELECT e.source, e.ticket_id,
       row_number() OVER (PARTITION BY e.source, e.ticket_id ORDER BY e.event_at, e.seq NULLS LAST,
           list_position(['created','assign_group','assign_agent','status','reply_public','note_internal','effort',
                          'priority','change_link','resolved','closed','reopened'], e.kind), e._input, e._line)::INTEGER AS seq,
       e.event_at, e.kind, e.status_class, e.status_raw, e.group_name, e.actor_group, e.agent, e.value, e.ref, e._input
FROM stg_events e
SEMI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id
ANTI JOIN _drop d ON d._input = e._input AND d._line = e._line;
DROP TABLE _dup_h;
