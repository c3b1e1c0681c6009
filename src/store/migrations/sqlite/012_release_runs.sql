-- 012: the daily settlement no longer rewrites the balances and the lots that its release rows
-- already account for; the release rows carry what they owe them instead.
--
-- `run` is the member's release total (static + share + team + peer) over the consecutive
-- release days up to this row since the member's locked and points balances were last brought
-- up to date; `drawn` is what dynamic releases have taken from the member's current lot (see
-- lots.drawn_from) since that lot's stored state. Rows written before this migration were fully
-- applied to the balances and the lots when they were written: 0 and 0.
--
-- A lot whose drawn_from is a day on or before the release day (meta 'release_day', the last
-- day the release stage ran) is its member's current lot: its remaining is the stored one less
-- `drawn` of its member's row of the release day. A member account of points or locked holds
-- its balance less (points) or plus (locked) `run` of the member's row of the release day. The
-- view `balances` gives every account's balance so; the store reads through it.
ALTER TABLE releases ADD COLUMN run INTEGER NOT NULL DEFAULT 0 CHECK (run >= 0);
ALTER TABLE releases ADD COLUMN drawn INTEGER NOT NULL DEFAULT 0 CHECK (drawn >= 0);
ALTER TABLE lots ADD COLUMN drawn_from INTEGER;

CREATE VIEW balances AS
SELECT a.id AS id, a.owner AS owner, a.asset AS asset,
       a.balance + CASE a.asset WHEN 1 THEN coalesce(r.run, 0) WHEN 2 THEN -coalesce(r.run, 0)
                   ELSE 0 END AS balance,
       a.debt AS debt
FROM accounts a LEFT JOIN releases r
  ON a.owner > 0 AND a.asset IN (1, 2) AND r.member = a.owner
 AND r.day = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'release_day');
