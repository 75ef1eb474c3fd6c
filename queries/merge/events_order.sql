-- Events, part 3 (see events.sql).
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
