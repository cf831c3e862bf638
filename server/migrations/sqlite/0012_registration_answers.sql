-- A registration's free-text answers (`kinds::participant::ANSWERS`, e.g. the work a walk-in
-- hopes for), as a JSON object field → text, for the counter. One column for all of them: a
-- new free-text question needs no migration of its own.
ALTER TABLE participants ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
