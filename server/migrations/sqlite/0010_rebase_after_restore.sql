-- After a backup is restored (`server new-epoch`), every device's numbering is ahead of what
-- the restored database remembers: its next push would start after a gap and wait forever.
-- `rebase` lets each replica's next push continue from the number it sends. Work the server
-- acknowledged after the backup was taken is gone with the restore (the devices forgot it when
-- it was acknowledged); what devices still hold waiting is kept and sent.
ALTER TABLE sync_replicas ADD COLUMN rebase INTEGER NOT NULL DEFAULT 0;
