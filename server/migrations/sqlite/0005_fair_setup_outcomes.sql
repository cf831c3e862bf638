-- Job fairs, set up at the counter and worked on tablets: capacity, the employers taking part
-- (with the jobs they offer), interview outcomes per participant and employer, and which
-- registrations staff merged into another.

ALTER TABLE events ADD COLUMN capacity INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 10000);

CREATE TABLE event_employers (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    jobs TEXT NOT NULL DEFAULT '' CHECK (length(jobs) <= 500),
    created_at_ms INTEGER NOT NULL,
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
    updated_at_ms INTEGER NOT NULL
);
CREATE INDEX fair_outcomes_by_event ON fair_outcomes (event_id, employer_id);

-- A walk-in may give an age group (年代) instead of a birth date.
ALTER TABLE participants ADD COLUMN age_band TEXT;
-- A registration staff decided is the same person as another: counted once, as the other.
ALTER TABLE participants ADD COLUMN merged_into TEXT;
-- A registration linked to the person it is at the counter (a merge with a person record).
ALTER TABLE participants ADD COLUMN person_id TEXT REFERENCES people (id);

-- The record kinds the sync engine carries grow by `interview`: SQLite cannot change a CHECK,
-- so the two tables are rebuilt (their rows kept) and renamed into place.
CREATE TABLE sync_records_next (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'note', 'participant', 'interview')),
    state TEXT NOT NULL,
    owner_org TEXT NOT NULL CHECK (owner_org IN ('city', 'hello_work')),
    person_id TEXT,
    event_id TEXT,
    seq INTEGER NOT NULL UNIQUE,
    updated_at_ms INTEGER NOT NULL
);
INSERT INTO sync_records_next (id, kind, state, owner_org, person_id, event_id, seq, updated_at_ms)
    SELECT id, kind, state, owner_org, person_id, event_id, seq, updated_at_ms FROM sync_records;

CREATE TABLE sync_conflicts_next (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL REFERENCES sync_records_next (id),
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    kept TEXT NOT NULL,
    other TEXT NOT NULL,
    detected_at_ms INTEGER NOT NULL,
    resolved_at_ms INTEGER,
    resolved_by TEXT REFERENCES staff (id),
    resolution TEXT CHECK (resolution IN ('kept', 'other'))
);
INSERT INTO sync_conflicts_next (id, record_id, kind, field, kept, other, detected_at_ms,
                                 resolved_at_ms, resolved_by, resolution)
    SELECT id, record_id, kind, field, kept, other, detected_at_ms, resolved_at_ms, resolved_by,
           resolution
    FROM sync_conflicts;

DROP TABLE sync_conflicts;
DROP TABLE sync_records;
ALTER TABLE sync_records_next RENAME TO sync_records;
ALTER TABLE sync_conflicts_next RENAME TO sync_conflicts;
CREATE INDEX sync_records_by_person ON sync_records (person_id);
CREATE INDEX sync_records_by_event ON sync_records (event_id, seq);
CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at_ms, record_id);
