-- Casework after intake (step 8). Each case entry is a synced record (`sync_records`, kinds
-- note / referral / placement / follow_up); these are their read tables, kept equal to the
-- records by `service::records::<kind>::project`, for the due lists and the reports.

-- Notes are typed, and say which organisation wrote them and in which job role; a correction
-- points to the note it corrects. Notes written before this step have none of these.
ALTER TABLE notes ADD COLUMN note_type TEXT;
ALTER TABLE notes ADD COLUMN organisation TEXT CHECK (organisation IN ('city', 'hello_work'));
ALTER TABLE notes ADD COLUMN job_role TEXT;
ALTER TABLE notes ADD COLUMN corrects TEXT;

-- Job referrals (職業紹介) by Hello Work and their results.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    organisation TEXT NOT NULL CHECK (organisation IN ('city', 'hello_work')),
    referred_on TEXT NOT NULL,
    employer TEXT NOT NULL,
    job_title TEXT NOT NULL,
    job_no TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pending', 'hired', 'not_hired', 'declined')),
    result_on TEXT,
    written_by TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    deleted_at_ms INTEGER
);
CREATE INDEX referrals_by_person ON referrals (person_id);

-- Placements (就職): counted as placements (a person may be placed more than once), by route
-- (紹介就職 / 自己就職 / at a fair, credited to it).
CREATE TABLE placements (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    organisation TEXT NOT NULL CHECK (organisation IN ('city', 'hello_work')),
    placed_on TEXT NOT NULL,
    employer TEXT NOT NULL,
    job_title TEXT NOT NULL,
    employment_type TEXT NOT NULL
        CHECK (employment_type IN ('regular', 'contract', 'part_time', 'dispatch', 'other')),
    route TEXT NOT NULL CHECK (route IN ('referral', 'self_found', 'fair')),
    referral_id TEXT,
    event_id TEXT,
    credited_org TEXT NOT NULL CHECK (credited_org IN ('city', 'hello_work')),
    credited_staff TEXT NOT NULL,
    written_by TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    deleted_at_ms INTEGER,
    CHECK ((route = 'fair') = (event_id IS NOT NULL))
);
CREATE INDEX placements_by_person ON placements (person_id);
CREATE INDEX placements_by_day ON placements (placed_on);

-- Retention follow-ups (定着支援) done, 1, 3 or 6 months after a placement.
CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    placement_id TEXT NOT NULL,
    months INTEGER NOT NULL CHECK (months IN (1, 3, 6)),
    organisation TEXT NOT NULL CHECK (organisation IN ('city', 'hello_work')),
    done_on TEXT NOT NULL,
    result TEXT NOT NULL,
    written_by TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    deleted_at_ms INTEGER
);
CREATE INDEX follow_ups_by_placement ON follow_ups (placement_id);

-- Withdrawing a consent says why (the date is `withdrawn_on`, chosen by staff: the day the
-- person said so).
ALTER TABLE consents ADD COLUMN withdrawal_reason TEXT;

-- The record kinds the sync engine carries grow by referral, placement and follow_up, and by
-- assessment, plan and story (their read tables come with them). SQLite
-- cannot change a CHECK, so (as in 0005) sync_records and sync_conflicts are rebuilt, their rows
-- kept, renamed into place and their indexes made again.
CREATE TABLE sync_records_next (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'note', 'participant', 'interview', 'referral', 'placement', 'follow_up',
                    'assessment', 'plan', 'story')),
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
CREATE INDEX sync_records_by_person ON sync_records (person_id) WHERE kind <> 'person';
CREATE INDEX sync_records_by_event ON sync_records (event_id, seq);
CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at_ms, record_id);
