-- PostgreSQL version of sqlite/0011_read_audit_per_page.sql.

-- A pull page is audited as one entry naming what it sent, not one entry per record: a full
-- pull of 10,000 records wrote 10,000 audit rows. The records a page sent are listed here (who
-- read this person? → the page entries that name them); the entry's detail carries the SHA-256
-- of the sorted list, so the hash chain covers it and `verify-audit` finds an edited list.
-- (SQLite: WITHOUT ROWID, a storage choice only; PostgreSQL has no rowid to leave out.)
CREATE TABLE audit_reads (
    subject_id TEXT NOT NULL,
    audit_seq BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (subject_id, audit_seq)
);
CREATE INDEX audit_reads_by_entry ON audit_reads (audit_seq);
-- SQLite's RAISE(ABORT, 'audit_reads is append-only') triggers: the trigger function of 0002
-- raises '<table> is append-only'.
CREATE TRIGGER audit_reads_no_update BEFORE UPDATE ON audit_reads
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER audit_reads_no_delete BEFORE DELETE ON audit_reads
    FOR EACH ROW EXECUTE FUNCTION append_only();
-- PostgreSQL only: TRUNCATE skips row triggers (SQLite has no TRUNCATE), so refuse it too.
CREATE TRIGGER audit_reads_no_truncate BEFORE TRUNCATE ON audit_reads
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();
