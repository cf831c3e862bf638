-- PostgreSQL version of sqlite/0007_device_keys.sql.

-- The server's key for each staff member's browser stores (see app/src/client/vault.rs): a
-- laptop's sealed store opens with it while the staff member is signed in. Removed (and so
-- replaced by a new one) when the password is reset or the account disabled: a lost laptop's
-- store then opens with the old password only.
CREATE TABLE device_keys (
    staff_id TEXT PRIMARY KEY NOT NULL REFERENCES staff (id),
    key TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
