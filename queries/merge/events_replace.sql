-- Events, when the workspace holds some of the staged tickets (see events.sql).
CREATE OR REPLACE TEMP TABLE _eo AS SELECT * FROM _ev;
DROP VIEW _ev;

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
