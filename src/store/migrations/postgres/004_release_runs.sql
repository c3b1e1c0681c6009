-- 004: the release rows carry what the daily settlement owes the balances and the lots, which it
-- no longer rewrites (the same as SQLite migration 012, whose comment explains it).
ALTER TABLE releases ADD COLUMN run BIGINT NOT NULL DEFAULT 0 CHECK (run >= 0);
ALTER TABLE releases ADD COLUMN drawn BIGINT NOT NULL DEFAULT 0 CHECK (drawn >= 0);
ALTER TABLE lots ADD COLUMN drawn_from BIGINT;

CREATE VIEW balances AS
SELECT a.id AS id, a.owner AS owner, a.asset AS asset,
       a.balance + CASE a.asset WHEN 1 THEN coalesce(r.run, 0) WHEN 2 THEN -coalesce(r.run, 0)
                   ELSE 0 END AS balance,
       a.debt AS debt
FROM accounts a LEFT JOIN releases r
  ON a.owner > 0 AND a.asset IN (1, 2) AND r.member = a.owner
 AND r.day = (SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'release_day');

-- A settlement now rewrites a lot only when it finishes or is first drawn on, not every day:
-- new pages of lots are filled (the free space 002 kept for in-page rewrites halved the pages
-- a settlement reads). Existing pages keep theirs until the table is rewritten (VACUUM FULL).
ALTER TABLE lots SET (fillfactor = 100);
