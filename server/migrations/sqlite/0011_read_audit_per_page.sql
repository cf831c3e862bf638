-- A pull page is audited as one entry naming what it sent, not one entry per record: a full
-- pull of 10,000 records wrote 10,000 audit rows. The records a page sent are listed here (who
-- read this person? → the page entries that name them); the entry's detail carries the SHA-256
-- of the sorted list, so the hash chain covers it and `verify-audit` finds an edited list.
CREATE TABLE audit_reads (
    subject_id TEXT NOT NULL,
    audit_seq INTEGER NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (subject_id, audit_seq)
) WITHOUT ROWID;
CREATE INDEX audit_reads_by_entry ON audit_reads (audit_seq);
CREATE TRIGGER audit_reads_no_update BEFORE UPDATE ON audit_reads
BEGIN
    SELECT RAISE(ABORT, 'audit_reads is append-only');
END;
CREATE TRIGGER audit_reads_no_delete BEFORE DELETE ON audit_reads
BEGIN
    SELECT RAISE(ABORT, 'audit_reads is append-only');
END;
