-- Fair registration through the sync engine: what a walk-in tells the tablet, and possible
-- duplicates for staff (two tablets registering one person, or someone already known at the
-- counter). Duplicates are flagged, never merged by themselves.

ALTER TABLE participants ADD COLUMN category TEXT;
ALTER TABLE participants ADD COLUMN interests TEXT NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN contact_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN share_ok INTEGER NOT NULL DEFAULT 0;

CREATE TABLE duplicate_flags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The later registration (a participant) and the record it may duplicate.
    record_id TEXT NOT NULL,
    other_id TEXT NOT NULL,
    other_kind TEXT NOT NULL CHECK (other_kind IN ('participant', 'person')),
    event_id TEXT,
    reason TEXT NOT NULL CHECK (reason IN ('kana_birth_date', 'kana_phone')),
    detected_at_ms INTEGER NOT NULL,
    resolved_at_ms INTEGER,
    resolved_by TEXT REFERENCES staff (id),
    resolution TEXT CHECK (resolution IN ('merged', 'kept_apart')),
    UNIQUE (record_id, other_id)
);
CREATE INDEX duplicate_flags_by_event ON duplicate_flags (event_id, resolved_at_ms);
