-- 005: the contribution program: once-only bonuses, sign-in streaks, task totals per day,
-- platform income per day.
ALTER TABLE members ADD COLUMN first_reach_day INTEGER;    -- NULL: not reached yet
ALTER TABLE members ADD COLUMN first_purchase_day INTEGER; -- NULL: no purchase completed yet
ALTER TABLE members ADD COLUMN signin_day INTEGER;         -- the last day signed in
ALTER TABLE members ADD COLUMN signin_streak INTEGER NOT NULL DEFAULT 0;

-- contribution a member got from tasks of one kind on one day (for the per-day caps)
CREATE TABLE task_totals (
    member INTEGER NOT NULL,
    day    INTEGER NOT NULL,
    kind   INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (member, day, kind)
) STRICT, WITHOUT ROWID;

-- platform income entered by the operator or the shop, by business day; the money itself is a
-- transfer payin -> revenue with the reference "income:<id>"
CREATE TABLE income (
    id     INTEGER PRIMARY KEY,
    day    INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    source TEXT NOT NULL,
    at     INTEGER NOT NULL
) STRICT;
CREATE INDEX income_day ON income(day);

-- the members who hold contribution, for the dividend step
CREATE INDEX accounts_contribution ON accounts(owner) WHERE asset = 3 AND owner > 0;
