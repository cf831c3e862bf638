-- Access control before more personal data arrives: staff accounts and their sessions, the
-- person's consent to share between the city and Hello Work, enrolled fair devices and the
-- participants they register, and an append-only, hash-chained audit log.

-- Which organisation's statutory duty a person's record falls under. Staff of the other
-- organisation see it only while a consent is active. Existing rows were city intakes.
ALTER TABLE people ADD COLUMN owner_org TEXT NOT NULL DEFAULT 'city'
    CHECK (owner_org IN ('city', 'hello_work'));

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    organisation TEXT NOT NULL CHECK (organisation IN ('city', 'hello_work')),
    role TEXT NOT NULL CHECK (role IN ('counter', 'manager', 'admin')),
    -- Argon2id PHC string; never a plain or reversible password.
    password_hash TEXT NOT NULL,
    disabled_at_ms INTEGER,
    created_at_ms INTEGER NOT NULL
);

-- Only a SHA-256 of the session token is stored: a copy of the database cannot be replayed
-- as a cookie.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    created_at_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    scope TEXT NOT NULL CHECK (scope IN ('case_sharing')),
    method TEXT NOT NULL CHECK (method IN ('signed_form', 'verbal')),
    -- 承諾書 number when signed.
    document_no TEXT,
    granted_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at_ms INTEGER NOT NULL,
    withdrawn_on TEXT,
    withdrawn_by TEXT REFERENCES staff (id),
    withdrawn_at_ms INTEGER
);
CREATE INDEX consents_by_person ON consents (person_id);

-- A tablet enrolled for one event. The enrolment code (short, shown on screen) and the
-- device token are stored hashed; the code is cleared once used.
CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (id),
    label TEXT NOT NULL,
    enrol_code_hash TEXT UNIQUE,
    enrol_code_expires_ms INTEGER,
    token_hash TEXT UNIQUE,
    enrolled_at_ms INTEGER,
    revoked_at_ms INTEGER,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at_ms INTEGER NOT NULL
);

-- People registered or checked in at an event (walk-ins from tablets, or pre-registered).
CREATE TABLE participants (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (id),
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name_kana TEXT NOT NULL,
    given_name_kana TEXT NOT NULL,
    birth_date TEXT,
    phone TEXT,
    checked_in_at_ms INTEGER,
    created_by_staff TEXT REFERENCES staff (id),
    created_by_device TEXT REFERENCES devices (id),
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX participants_by_event ON participants (event_id);

-- Who read or changed which person's data, and every refused attempt. Each row carries the
-- SHA-256 of the previous row's hash and its own fields, so an edited or deleted row breaks the
-- chain (`server verify-audit`). `detail` never holds personal data, only ids and codes.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    device_id TEXT,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied')),
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
