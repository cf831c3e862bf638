-- Who made each side of a conflict, and when. The side that arrives in a push is the pusher's
-- (its replica is known); the side already stored is found through its stamp's node: devices
-- stamp every edit with their node id (a random number per browser store or tablet), and the
-- server remembers which replica first pushed edits stamped with each node.

CREATE TABLE sync_nodes (
    node INTEGER PRIMARY KEY NOT NULL,
    replica_id TEXT NOT NULL REFERENCES sync_replicas (id),
    first_seen_ms INTEGER NOT NULL
) WITHOUT ROWID; -- a node is a device's number, not one the database gives out

ALTER TABLE sync_conflicts ADD COLUMN kept_replica TEXT;
ALTER TABLE sync_conflicts ADD COLUMN kept_at_ms INTEGER;
ALTER TABLE sync_conflicts ADD COLUMN other_replica TEXT;
ALTER TABLE sync_conflicts ADD COLUMN other_at_ms INTEGER;
