-- PostgreSQL version of sqlite/0008_tablet_keys.sql.

-- The server's key for each fair tablet's sealed store (as device_keys is for staff): the
-- tablet's store opens with it while the tablet is enrolled; revoking the tablet removes it.
CREATE TABLE tablet_keys (
    device_id TEXT PRIMARY KEY NOT NULL REFERENCES devices (id),
    key TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
