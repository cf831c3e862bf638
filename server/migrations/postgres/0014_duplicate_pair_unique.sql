-- PostgreSQL version of sqlite/0014_duplicate_pair_unique.sql.

-- A possible duplicate is a pair without order: (a, b) and (b, a) are one flag. The database
-- now holds that itself (a unique index on the ordered pair) instead of the statement checking
-- first, so two servers — or two writers — flagging the same pair at once leave one flag. A
-- pair flagged both ways earlier keeps its first flag.
DELETE FROM duplicate_flags WHERE id IN (
    SELECT b.id FROM duplicate_flags a JOIN duplicate_flags b
        ON a.record_id = b.other_id AND a.other_id = b.record_id AND a.id < b.id
);
-- SQLite's two-argument min()/max() are LEAST/GREATEST here. Any deterministic order gives each
-- unordered pair one form, so the collation (SQLite compares bytes) does not change which rows
-- collide.
CREATE UNIQUE INDEX duplicate_flags_pair
    ON duplicate_flags (LEAST(record_id, other_id), GREATEST(record_id, other_id));
