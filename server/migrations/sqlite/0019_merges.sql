-- A duplicate intake merged into the record that stays (`service::person_merge`): the person
-- record's `merged_into` field, mirrored here so merges can be checked without reading every
-- record. Empty again when the merge is undone.
-- No foreign key: a table copied row by row (`server migrate-to`) may hold a duplicate before
-- the record it points to; the service checks both exist when it merges.
ALTER TABLE people ADD COLUMN merged_into TEXT;
CREATE INDEX people_merged_into ON people (merged_into);

-- A fair's duplicate decision can be undone: what a merge changed is kept with the flag — the
-- registration it pointed them at and each one with where it pointed before
-- (`root|id=before,id=before`), or `link` when it linked the registration to a counter person.
ALTER TABLE duplicate_flags ADD COLUMN undo TEXT;
