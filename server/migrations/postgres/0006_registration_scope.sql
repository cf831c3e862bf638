-- PostgreSQL version of sqlite/0006_registration_scope.sql. The data-moving statements are kept
-- (a PostgreSQL database starts empty, so they change nothing, but keep the files parallel).

-- Closing consent leaks (issue: step 5).
--
-- Which organisation took a fair registration: it always sees who the person is; the other
-- organisation only when the person agreed to share (participants.share_ok). Tablets register
-- for Hello Work, which runs the fairs; a registration typed at the counter belongs to the
-- clerk's organisation.
ALTER TABLE participants ADD COLUMN owner_org TEXT NOT NULL DEFAULT 'hello_work'
    CHECK (owner_org IN ('city', 'hello_work'));
UPDATE participants SET owner_org =
    COALESCE((SELECT organisation FROM staff WHERE staff.id = participants.created_by_staff),
             'hello_work');

-- Records of the other organisation a staff member's devices were sent (through a consent, or
-- a registration shared with both). Only these may later come back as `removed` stubs: a
-- stub for a record never sent would tell a clerk that a case they may not see exists.
-- (SQLite: WITHOUT ROWID, a storage choice only; PostgreSQL has no rowid to leave out.)
CREATE TABLE sync_sent (
    holder TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (holder, record_id)
);
-- Devices that pulled before this table existed may hold such records: count as sent every
-- record of the other organisation that could have been sent (a person who had a consent),
-- and all fair work (an interview's visibility follows its registration, not its writer), so
-- that a later withdrawal still takes them back. This names to a clerk only records their
-- organisation could once see.
-- (SQLite: INSERT OR IGNORE and a JOIN without ON; here ON CONFLICT DO NOTHING and CROSS JOIN.)
INSERT INTO sync_sent (holder, record_id)
SELECT 'staff:' || s.id, r.id
FROM staff s CROSS JOIN sync_records r
WHERE s.role IN ('counter', 'manager')
  AND (r.kind IN ('participant', 'interview')
       OR (r.owner_org <> s.organisation
           AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = r.person_id)))
ON CONFLICT DO NOTHING;

-- And every fair record is judged again at the next pull (a registration that was sent to the
-- other organisation without agreement comes back as `removed`): new sequence numbers after
-- the last, in the same order.
UPDATE sync_records
SET seq = seq + (SELECT COALESCE(MAX(seq), 0) FROM sync_records)
WHERE kind IN ('participant', 'interview');
