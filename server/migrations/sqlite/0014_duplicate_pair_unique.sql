-- A possible duplicate is a pair without order: (a, b) and (b, a) are one flag. The database
-- now holds that itself (a unique index on the ordered pair) instead of the statement checking
-- first, so two servers — or two writers — flagging the same pair at once leave one flag. A
-- pair flagged both ways earlier keeps its first flag.
DELETE FROM duplicate_flags WHERE id IN (
    SELECT b.id FROM duplicate_flags a JOIN duplicate_flags b
        ON a.record_id = b.other_id AND a.other_id = b.record_id AND a.id < b.id
);
CREATE UNIQUE INDEX duplicate_flags_pair
    ON duplicate_flags (min(record_id, other_id), max(record_id, other_id));
