-- The first shared records. Dates are ISO `YYYY-MM-DD` text (sortable, portable to PostgreSQL's
-- DATE via a cast); times are Unix milliseconds from the server clock. CHECK constraints repeat
-- the app's validation so a bug in a handler cannot store what the rules forbid.

-- Events the corner runs. `id` is chosen by the client (UUIDv7) so a retried create cannot
-- insert twice.
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    kind TEXT NOT NULL CHECK (kind IN ('joint_interview', 'workplace_tour', 'seminar')),
    event_date TEXT NOT NULL CHECK (event_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    venue TEXT NOT NULL CHECK (length(venue) BETWEEN 1 AND 100),
    target_group TEXT NOT NULL CHECK (target_group IN (
        'youth', 'public_assistance', 'housing_allowance', 'single_mothers',
        'other_hardship', 'everyone')),
    created_at_ms INTEGER NOT NULL
);
-- The list shows the newest events first.
CREATE INDEX events_by_date ON events (event_date DESC, created_at_ms DESC);

-- People the corner supports. Only what intake needs first; assessment, plans and consent
-- arrive with their own migrations. Never a My Number (個人番号) column.
CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name_kana TEXT NOT NULL,
    given_name_kana TEXT NOT NULL,
    birth_date TEXT,
    category TEXT NOT NULL CHECK (category IN (
        'youth', 'public_assistance', 'housing_allowance', 'single_mothers', 'other_hardship')),
    created_at_ms INTEGER NOT NULL
);

-- The business plan's numeric targets (数値目標) per fiscal year (April–March, named by the
-- calendar year it starts in: 2026 = 令和8年度).
CREATE TABLE fiscal_year_targets (
    fiscal_year INTEGER NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN (
        'placements', 'referral_placements', 'fairs_held', 'fair_participants',
        'fair_referral_placements')),
    target INTEGER NOT NULL CHECK (target >= 0),
    PRIMARY KEY (fiscal_year, metric)
);
