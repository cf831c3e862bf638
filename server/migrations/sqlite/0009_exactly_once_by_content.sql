-- Exactly-once by content, not by number (step 6). A device numbers its changes 1, 2, 3…;
-- the server used to remember only the last number, so a number reused for a different change
-- (two tabs of one profile, a restored outbox) was answered "duplicate" and silently dropped.
-- Now every number dealt with keeps a digest of what it carried: a retry with the same content
-- is a duplicate and gets the first answer again in full (its conflicts or its refusal); the
-- same number with other content is refused with a reason the person sees.
CREATE TABLE sync_outcomes (
    replica_id TEXT NOT NULL REFERENCES sync_replicas (id),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    -- The first 16 bytes of SHA-256 of the mutation (kind, id, op) as received. NULL for the
    -- numbers refused before digests were kept (their content is unknown: a retry is taken as
    -- the same change).
    digest BLOB,
    -- The answer sent (a MutationResult as JSON) when it was more than "applied, no
    -- conflict": a refusal, or an applied change that met concurrent edits.
    result TEXT,
    PRIMARY KEY (replica_id, seq)
) WITHOUT ROWID;

INSERT INTO sync_outcomes (replica_id, seq, digest, result)
SELECT replica_id, seq, NULL, result FROM sync_refusals WHERE seq >= 1;

DROP TABLE sync_refusals;

-- The database's identity for pull cursors. A cursor is a position in this database's
-- sequence; a device holding a cursor from another database (a restored backup, a rebuilt
-- server) would otherwise pull "after" a position that means nothing here and miss changes.
-- Pulls name the epoch; a different epoch (or a cursor past the end) starts a full pull.
-- `server new-epoch` gives a restored database a new identity.
CREATE TABLE sync_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL
);
INSERT INTO sync_epoch (id, epoch) VALUES (1, lower(hex(randomblob(16))));
