-- Sign-in and enrolment throttling shared by every server of a database. The rules (free
-- failures, doubling delays, trusted addresses) are `auth::throttle`'s; these tables keep
-- what every server saw, so guesses spread over several servers behind a load balancer, or
-- made across a restart, count all the same. Rows older than the window are deleted as new
-- failures arrive; expired trust as new trust is given.

CREATE TABLE throttle_failures (
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX throttle_failures_key ON throttle_failures (key, at_ms);
CREATE INDEX throttle_failures_at ON throttle_failures (at_ms);

-- An address a staff member signed in from: the account-wide limit (which an attacker
-- elsewhere can drive up) does not apply there.
CREATE TABLE throttle_trusted (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    until_ms INTEGER NOT NULL,
    PRIMARY KEY (account, address)
);
