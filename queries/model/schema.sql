-- The canonical model: every ticket system is mapped onto these tables.
-- All instants are UTC (TIMESTAMP without zone). Documented column by column in docs/model.md.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS tickets (
    source          VARCHAR NOT NULL,
    ticket_id       VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,   -- incident | service_request | change_request | problem
    priority        INTEGER,            -- 1 (highest) .. 4
    priority_raw    VARCHAR,
    service         VARCHAR NOT NULL,   -- network | school_server | end_devices | software | telephony | peripherals | other
    category_raw    VARCHAR,
    school_id       VARCHAR,
    channel         VARCHAR,
    requester_role  VARCHAR,            -- teacher | media_teacher | principal | secretary | pupil | other
    created_at      TIMESTAMP NOT NULL,
    status          VARCHAR NOT NULL,   -- current status class
    status_raw      VARCHAR,
    satisfaction    DOUBLE,             -- 1 (worst) .. 5 (best), NULL = not answered
    effort_minutes  DOUBLE,
    updated_at      TIMESTAMP,          -- snapshot instant of the export row; the later snapshot wins
    PRIMARY KEY (source, ticket_id)
);

CREATE TABLE IF NOT EXISTS events (
    source        VARCHAR NOT NULL,
    ticket_id     VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,     -- order within the ticket, 1-based, after the tie-break rule
    event_at      TIMESTAMP NOT NULL,
    kind          VARCHAR NOT NULL,     -- created | status | assign_group | assign_agent | reply_public | note_internal
                                        -- | resolved | closed | reopened | effort | priority | change_link
    status_class  VARCHAR,              -- for status/resolved/closed/reopened
    status_raw    VARCHAR,
    group_name    VARCHAR,              -- for assign_group: the group that now holds the ticket
    actor_group   VARCHAR,              -- the group whose member acted (reply, note, status change, effort)
    agent         VARCHAR,              -- pseudonym, never a name
    value         DOUBLE,               -- effort minutes, or the new priority
    ref           VARCHAR,              -- change id for change_link
    PRIMARY KEY (source, ticket_id, seq)
);

CREATE TABLE IF NOT EXISTS schools (
    school_id    VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    school_type  VARCHAR NOT NULL,      -- grundschule | gesamtschule | realschule | hauptschule | gymnasium
                                        -- | foerderschule | berufskolleg | other
    pupils       INTEGER,
    teachers     INTEGER,
    devices      INTEGER
);

CREATE TABLE IF NOT EXISTS changes (
    source          VARCHAR NOT NULL,
    change_id       VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,   -- standard | normal | emergency
    created_at      TIMESTAMP NOT NULL,
    planned_start   TIMESTAMP,
    planned_end     TIMESTAMP,
    actual_start    TIMESTAMP,
    actual_end      TIMESTAMP,
    closed_at       TIMESTAMP,
    outcome         VARCHAR,            -- successful | failed | rolled_back | cancelled | NULL (open)
    school_id       VARCHAR,
    service         VARCHAR,
    linked_tickets  VARCHAR,            -- space-separated ticket ids
    PRIMARY KEY (source, change_id)
);

CREATE TABLE IF NOT EXISTS outages (
    service    VARCHAR NOT NULL,
    school_id  VARCHAR,
    start_at   TIMESTAMP NOT NULL,
    end_at     TIMESTAMP,
    planned    BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS imports (
    import_id   INTEGER,
    imported_at TIMESTAMP,
    file        VARCHAR,
    profile     VARCHAR,
    rows_read   BIGINT,
    imported    BIGINT,
    merged      BIGINT,
    rejected    BIGINT
);

-- Time per status as a ticket system exports it (e.g. Jira's "[CHART] Time in Status"):
-- totals without a timeline, kept for cross-checks; the KPIs use the event history.
CREATE TABLE IF NOT EXISTS status_totals (
    source     VARCHAR NOT NULL,
    ticket_id  VARCHAR NOT NULL,
    status_raw VARCHAR NOT NULL,
    entries    INTEGER,
    seconds    DOUBLE,
    PRIMARY KEY (source, ticket_id, status_raw)
);

-- Contacts with the service desk (calls, mails) as systems with an interaction record keep
-- them (HP Service Manager); a contact may lead to a ticket.
CREATE TABLE IF NOT EXISTS contacts (
    source                 VARCHAR NOT NULL,
    contact_id             VARCHAR NOT NULL,
    opened_at              TIMESTAMP NOT NULL,
    closed_at              TIMESTAMP,
    first_contact_resolved BOOLEAN,
    ticket_id              VARCHAR,
    service                VARCHAR,
    priority               INTEGER,
    PRIMARY KEY (source, contact_id)
);
