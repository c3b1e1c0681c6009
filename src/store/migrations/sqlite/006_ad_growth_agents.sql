-- 006: ad points, appreciation points and regional agents.
ALTER TABLE members ADD COLUMN ad_original INTEGER NOT NULL DEFAULT 0;  -- ad points from completed orders
ALTER TABLE members ADD COLUMN growth_spent INTEGER NOT NULL DEFAULT 0; -- growth-eligible spending
ALTER TABLE members ADD COLUMN growth_sold INTEGER NOT NULL DEFAULT 0;  -- cash received selling growth

-- the members who did the ad task of a day
CREATE TABLE ad_tasks (
    day    INTEGER NOT NULL,
    member INTEGER NOT NULL,
    PRIMARY KEY (day, member)
) STRICT, WITHOUT ROWID;

-- one agent per region per level; region: a six-digit code, or an area name of the rules
CREATE TABLE agents (
    level  INTEGER NOT NULL,
    region TEXT NOT NULL,
    member INTEGER NOT NULL REFERENCES members(id),
    at     INTEGER NOT NULL,
    PRIMARY KEY (level, region)
) STRICT, WITHOUT ROWID;

-- the members who hold appreciation points, for the daily cap check
CREATE INDEX accounts_growth ON accounts(owner) WHERE asset = 7 AND owner > 0;

-- what an order added to its buyer's growth-eligible spending (taken off again on refund)
ALTER TABLE orders ADD COLUMN growth_eligible INTEGER NOT NULL DEFAULT 0;
