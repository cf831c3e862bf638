-- The offline sync engine: every synced record's merge state, the devices' mutation counters,
-- refusals (so a retried push gets the same refusal), conflicts for staff, and case notes.

-- A browser profile or tablet that pushes changes. It belongs to one actor: a replica id
-- cannot be used by someone else to skip or replay another's numbers.
CREATE TABLE sync_replicas (
    id TEXT PRIMARY KEY NOT NULL,
    actor TEXT NOT NULL,
    -- The last mutation number dealt with (applied or refused); the next must be last + 1.
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

CREATE TABLE sync_refusals (
    replica_id TEXT NOT NULL REFERENCES sync_replicas (id),
    seq INTEGER NOT NULL,
    -- The MutationResult sent back (JSON), sent again to a retry.
    result TEXT NOT NULL,
    PRIMARY KEY (replica_id, seq)
);

-- Each record's merge state (fields with clock stamps, or a tombstone). `seq` is the server's
-- sequence: reassigned on every change, so pulling "after N" returns each record's latest
-- state once, in commit order. Scope columns say who may see it.
CREATE TABLE sync_records (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'note', 'participant')),
    state TEXT NOT NULL,
    owner_org TEXT NOT NULL CHECK (owner_org IN ('city', 'hello_work')),
    -- The person the record is about (the person's own id for a person).
    person_id TEXT,
    -- The fair a participant registered at (what a fair tablet receives).
    event_id TEXT,
    seq INTEGER NOT NULL UNIQUE,
    updated_at_ms INTEGER NOT NULL
);
CREATE INDEX sync_records_by_person ON sync_records (person_id);
CREATE INDEX sync_records_by_event ON sync_records (event_id, seq);

CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL REFERENCES sync_records (id),
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    kept TEXT NOT NULL,
    other TEXT NOT NULL,
    detected_at_ms INTEGER NOT NULL,
    resolved_at_ms INTEGER,
    resolved_by TEXT REFERENCES staff (id),
    resolution TEXT CHECK (resolution IN ('kept', 'other'))
);
CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at_ms, record_id);

-- A deleted person stays as a tombstone (consents and notes refer to it).
ALTER TABLE people ADD COLUMN deleted_at_ms INTEGER;

-- Case notes (支援記録): append-only, one row per note, never updated.
CREATE TABLE notes (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    written_on TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX notes_by_person ON notes (person_id);

-- People recorded before sync existed become synced records at start-up
-- (`store::sync::adopt_unsynced_people`), so there is one place that knows how.
