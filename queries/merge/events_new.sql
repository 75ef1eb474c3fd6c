-- Events, when the workspace holds none of the staged tickets (see events.sql): every
-- distinct event is imported, every exact duplicate merged, every ticket touched.
INSERT INTO _outcome
SELECT _input, count(*), 0 FROM stg_events e SEMI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id
GROUP BY _input;
INSERT INTO _outcome SELECT _input, -count(*), count(*) FROM _drop GROUP BY _input;
INSERT INTO _touched_tickets SELECT source, ticket_id FROM _ek;
INSERT INTO events
SELECT source, ticket_id, seq, event_at, kind, status_class, status_raw, group_name, actor_group, agent, value, ref
FROM _ev;
DROP VIEW _ev;
DROP TABLE _ek;
DROP TABLE _drop;
