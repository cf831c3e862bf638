-- PostgreSQL version of sqlite/0012_registration_answers.sql.

-- A registration's free-text answers (`kinds::participant::ANSWERS`, e.g. the work a walk-in
-- hopes for), as a JSON object field → text, for the counter. One column for all of them: a
-- new free-text question needs no migration of its own.
-- (JSON stays TEXT, as in SQLite: the code reads and writes it as a string.)
ALTER TABLE participants ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
