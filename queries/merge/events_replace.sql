-- Events, when the workspace holds some of the staged tickets (see events.sql).
-- src/import/merge.rs has made `_eo`, the numbered events: the view _ev itself when it is
-- cheap to read again (the file's own numbering), else a table (the ordering window is
-- computed once).
--
-- Time in proportion to what is staged, not to the workspace (issue 18, the next quarter's
-- import): the workspace's events are scanned once, for the old histories of the staged
-- tickets; only those are fingerprinted and compared. A staged ticket without a history in
-- the workspace (a new ticket of the quarter) is inserted without being fingerprinted.

-- Old histories compared by a per-ticket fingerprint (XOR of 64-bit row hashes; seq is part
-- of each row, so equal rows cannot cancel out) and their length.
CREATE OR REPLACE TEMP TABLE _fp_old AS
SELECT x.source, x.ticket_id, count(*) AS n,
       bit_xor(hash(x.seq, x.event_at, x.kind, x.status_class, x.status_raw, x.group_name, x.actor_group, x.agent, x.value, x.ref)) AS fp
FROM events x SEMI JOIN _ek k ON k.source = x.source AND k.ticket_id = x.ticket_id
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _fp_new AS
SELECT e.source, e.ticket_id, count(*) AS n,
       bit_xor(hash(e.seq, e.event_at, e.kind, e.status_class, e.status_raw, e.group_name, e.actor_group, e.agent, e.value, e.ref)) AS fp
FROM _eo e SEMI JOIN _fp_old o ON o.source = e.source AND o.ticket_id = e.ticket_id
GROUP BY ALL;
-- Every staged ticket has at least one numbered event (of exact duplicates the first stays),
-- so a ticket with an old history has a new fingerprint.
CREATE OR REPLACE TEMP TABLE _changed AS
SELECT k.source, k.ticket_id, o.ticket_id IS NOT NULL AS _had FROM _ek k
LEFT JOIN _fp_old o ON o.source = k.source AND o.ticket_id = k.ticket_id
LEFT JOIN _fp_new f ON f.source = k.source AND f.ticket_id = k.ticket_id
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
DROP TABLE _fp_new;
DROP TABLE _fp_old;
DROP TABLE _changed;
-- merge.rs drops _eo, _ev and what _ev reads (_ek, _drop).
