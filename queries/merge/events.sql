-- Events. Semantics: exact duplicate rows inside an import are merged into one (the first by
-- file and line); the order within a ticket is event_at, the given seq, the kind rule, file,
-- line; a ticket's events are replaced as a whole by the import's; a history equal to the
-- workspace's counts as merged; events of unknown tickets are rejected with a reason.
--
-- The plan finds exact duplicates by a per-row content hash (comparing whole rows only
-- where hashes repeat), numbers the events per ticket in one window, and compares whole
-- histories per ticket by fingerprint, so only tickets whose history differs are deleted
-- and inserted.
-- This script prepares; src/import/merge.rs then runs events_dups.sql (exact duplicates,
-- unless staging already showed there are none), events_order.sql (the numbering) or
-- events_presorted.sql (the file's own numbering), and finishes with one of two scripts:
-- events_new.sql when the workspace holds none of the staged tickets (a first import: every
-- history is inserted straight from the numbering, nothing is compared or deleted), else
-- events_replace.sql (which fingerprints only the staged tickets that have a history in the
-- workspace: a quarter's import of new tickets and updated open ones costs in proportion to
-- what it brings).

-- Staged tickets that exist (in this import's tickets, already merged, or the workspace).
CREATE OR REPLACE TEMP TABLE _ek AS
SELECT k.source, k.ticket_id
FROM (SELECT DISTINCT source, ticket_id FROM stg_events) k
SEMI JOIN tickets t ON t.source = k.source AND t.ticket_id = k.ticket_id;

INSERT INTO _merge_rejects
SELECT _input, _line, 'ticket_id', ticket_id, 'no ticket with this id (source ' || source || ') in this import or the workspace'
FROM stg_events e ANTI JOIN _ek k ON k.source = e.source AND k.ticket_id = e.ticket_id;
