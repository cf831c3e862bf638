-- The business plan (事業計画) per fiscal year: the first day it covers (1 April, or the
-- corner's opening day in a partial first year) and its targets, now for every row of the
-- council report; each change kept with who made it and when.

-- WITHOUT ROWID: the year is the key, not a row counter (the same column as PostgreSQL's).
CREATE TABLE plans (
    fiscal_year INTEGER PRIMARY KEY NOT NULL,
    starts_on TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE plan_targets (
    fiscal_year INTEGER NOT NULL REFERENCES plans (fiscal_year),
    metric TEXT NOT NULL CHECK (metric IN (
        'placements', 'referral_placements', 'fairs_held', 'fair_participants',
        'fair_referral_placements', 'joint_interviews_held', 'workplace_tours_held',
        'seminars_held')),
    target INTEGER NOT NULL CHECK (target >= 0),
    PRIMARY KEY (fiscal_year, metric)
);

INSERT INTO plans (fiscal_year, starts_on, updated_at_ms)
    SELECT DISTINCT fiscal_year, printf('%04d-04-01', fiscal_year), 0 FROM fiscal_year_targets;
INSERT INTO plan_targets (fiscal_year, metric, target)
    SELECT fiscal_year, metric, target FROM fiscal_year_targets;
DROP TABLE fiscal_year_targets;

-- One row per field changed: `field` is a metric code or `starts_on`; empty before/after for
-- a target not set.
CREATE TABLE plan_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    fiscal_year INTEGER NOT NULL REFERENCES plans (fiscal_year),
    field TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    changed_by TEXT NOT NULL REFERENCES staff (id),
    changed_at_ms INTEGER NOT NULL
);
CREATE INDEX plan_changes_by_year ON plan_changes (fiscal_year, seq);
