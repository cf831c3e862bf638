-- Sequence numbers (the pull cursor's positions) come from one counter row, taken and moved
-- inside the writing transaction, instead of MAX(seq) + 1. On SQLite (one writer) both give
-- the same numbers; with several writers on one database the counter row is what keeps
-- commit order equal to number order — a writer holds the row until it commits, so no
-- number is committed after a higher one that a device may already have pulled past.
ALTER TABLE sync_epoch ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
UPDATE sync_epoch SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM sync_records);
