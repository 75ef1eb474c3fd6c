-- Events. Semantics: exact duplicate rows inside an import are merged into one (the first by
-- file and line); the order within a ticket is event_at, the given seq, the kind rule, file,
-- line; a ticket's events are replaced as a whole by the import's; a history equal to the
-- workspace's counts as merged; events of unknown tickets are rejected with a reason.
--
-- The plan finds exact duplicates by a per-row content hash (comparing whole rows only
-- where hashes repeat), numbers the events per ticket in one window, and compares whole
-- histories per ticket by fingerprint, so only tickets whose history differs are deleted
-- and inserted.
-- On a first import the workspace holds none of the staged tickets: the comparison finds
-- nothing and every history is inserted without deleting.

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
    FROM stg_events
    WHERE hash(source, ticket_id, event_at, kind, status_class, status_raw, group_name, actor_group, agent, value, ref)
          IN (SELECT _h FROM _dup_h))
WHERE _dup > 1;

-- The distinct events of known tickets, numbered in the documented order.
CREATE OR REPLACE TEMP TABLE _eo AS
SELECT e.source, e.ticket_id,
       row_number() OVER (PARTITION BY e.source, e.ticket_id ORDER BY e.event_at, e.seq NULLS LAST,
           list_position(['created','assign_group','assign_agent','status','reply_public','note_internal','effort',
                          'priority','change_link','resolved','closed','reopened'], e.kind), e._input, e._line)::INTEGER AS seq,
       e.event_at, e.kind, e.status_class, e.status_raw, e.group_name, e.actor_group, e.agent, e.value, e.ref, e._input
FROM stg_events e
SEMI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id
ANTI JOIN _drop d ON d._input = e._input AND d._line = e._line;
DROP TABLE _dup_h;

-- Histories compared by a per-ticket fingerprint (XOR of 64-bit row hashes; seq is part of
-- each row, so equal rows cannot cancel out) and their length.
CREATE OR REPLACE TEMP TABLE _fp_new AS
SELECT source, ticket_id, count(*) AS n,
       bit_xor(hash(seq, event_at, kind, status_class, status_raw, group_name, actor_group, agent, value, ref)) AS fp
FROM _eo GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _fp_old AS
SELECT x.source, x.ticket_id, count(*) AS n,
       bit_xor(hash(x.seq, x.event_at, x.kind, x.status_class, x.status_raw, x.group_name, x.actor_group, x.agent, x.value, x.ref)) AS fp
FROM events x SEMI JOIN _ek k ON k.source = x.source AND k.ticket_id = x.ticket_id
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _changed AS
SELECT f.source, f.ticket_id, o.ticket_id IS NOT NULL AS _had FROM _fp_new f
LEFT JOIN _fp_old o ON o.source = f.source AND o.ticket_id = f.ticket_id
WHERE o.ticket_id IS NULL OR o.n <> f.n OR o.fp <> f.fp;

-- Accounting per file: every staged row of a known ticket is merged, except the distinct
-- events of changed histories, which are imported (counted at their first row's file).
INSERT INTO _outcome
SELECT _input, 0, count(*) FROM stg_events e SEMI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id
GROUP BY _input;
INSERT INTO _outcome
SELECT e._input, count(*), -count(*) FROM _eo e SEMI JOIN _changed c ON c.source = e.source AND c.ticket_id = e.ticket_id
GROUP BY e._input;
INSERT INTO _touched_tickets SELECT source, ticket_id FROM _changed;

DELETE FROM events x USING (SELECT source, ticket_id FROM _changed WHERE _had) c
WHERE x.source = c.source AND x.ticket_id = c.ticket_id;
INSERT INTO events
SELECT e.source, e.ticket_id, e.seq, e.event_at, e.kind, e.status_class, e.status_raw, e.group_name,
       e.actor_group, e.agent, e.value, e.ref
FROM _eo e SEMI JOIN _changed c ON c.source = e.source AND c.ticket_id = e.ticket_id;
DROP TABLE _ek;
DROP TABLE _drop;
DROP TABLE _eo;
DROP TABLE _fp_new;
DROP TABLE _fp_old;
DROP TABLE _changed;
