-- PostgreSQL version of sqlite/0005_fair_setup_outcomes.sql.

-- Job fairs, set up at the counter and worked on tablets: capacity, the employers taking part
-- (with the jobs they offer), interview outcomes per participant and employer, and which
-- registrations staff merged into another.

ALTER TABLE events ADD COLUMN capacity BIGINT CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 10000);

CREATE TABLE event_employers (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    jobs TEXT NOT NULL DEFAULT '' CHECK (length(jobs) <= 500),
    created_at_ms BIGINT NOT NULL,
    UNIQUE (event_id, name)
);
CREATE INDEX event_employers_by_event ON event_employers (event_id, created_at_ms);

-- The latest stage of one interview (a synced `interview` record): 面接 → 内定 → 採用, or 不採用.
CREATE TABLE fair_outcomes (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (id),
    participant_id TEXT NOT NULL,
    employer_id TEXT NOT NULL REFERENCES event_employers (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('interview', 'offer', 'hired', 'not_hired')),
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX fair_outcomes_by_event ON fair_outcomes (event_id, employer_id);

-- A walk-in may give an age group (年代) instead of a birth date.
ALTER TABLE participants ADD COLUMN age_band TEXT;
-- A registration staff decided is the same person as another: counted once, as the other.
ALTER TABLE participants ADD COLUMN merged_into TEXT;
-- A registration linked to the person it is at the counter (a merge with a person record).
ALTER TABLE participants ADD COLUMN person_id TEXT REFERENCES people (id);

-- The record kinds the sync engine carries grow by `interview`. SQLite cannot change a CHECK and
-- rebuilds sync_records and sync_conflicts (rows kept, renamed into place, indexes made again);
-- PostgreSQL replaces the constraint in place, which leaves the same tables and indexes.
ALTER TABLE sync_records
    DROP CONSTRAINT sync_records_kind_check,
    ADD CONSTRAINT sync_records_kind_check
        CHECK (kind IN ('person', 'note', 'participant', 'interview'));
