-- Events, part 2 (see events.sql).
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

DROP TABLE _dup_h;
