-- PostgreSQL version of sqlite/0013_person_index_without_people.sql.

-- A person's own record has person_id = its id: the primary key already finds it. Indexing
-- it again under person_id put every new person into a second index at a random place (ids
-- from other clients need not be time-ordered), writing pages all over it on each push. The
-- index now holds only the records about a person (notes); `touch_person` asks both.
DROP INDEX sync_records_by_person;
CREATE INDEX sync_records_by_person ON sync_records (person_id) WHERE kind <> 'person';
