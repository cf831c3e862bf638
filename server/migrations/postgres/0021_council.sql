-- The steering council's register of requests made under the agreement between the mayor and
-- the director of the labour bureau (either side may ask; the other answers in good faith),
-- and its meetings with the report they were given: a frozen copy (JSON) of the figures,
-- requests and stories as of the report's day, so later corrections do not rewrite history.

CREATE TABLE council_requests (
    id TEXT PRIMARY KEY NOT NULL,
    asked_by TEXT NOT NULL CHECK (asked_by IN ('city', 'labour_bureau')),
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    asked_on TEXT NOT NULL,
    due_on TEXT,
    answer TEXT NOT NULL,
    answered_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'answered', 'withdrawn')),
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX council_requests_by_day ON council_requests (asked_on);

CREATE TABLE council_meetings (
    id TEXT PRIMARY KEY NOT NULL,
    held_on TEXT NOT NULL,
    members TEXT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    as_of TEXT NOT NULL,
    report TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX council_meetings_by_day ON council_meetings (held_on);
