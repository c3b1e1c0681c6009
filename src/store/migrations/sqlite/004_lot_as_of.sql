-- 004: lots keep their remaining as of a day, and the static release of each day after it.
-- A lot's remaining after day S is then
--   max(0, remaining - daily * (S - as_of))       (no static release before as_of)
-- so a settlement writes only the lots whose remaining differs from that: the lots a dynamic
-- release drew on, the lots that finished, and the lots whose daily amount changed with the
-- rules. Existing lots are exact as of the last settled day; daily 0 makes the next settlement
-- rewrite them with their daily amount.
ALTER TABLE lots ADD COLUMN as_of INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lots ADD COLUMN daily INTEGER NOT NULL DEFAULT 0 CHECK (daily >= 0);
UPDATE lots SET as_of = max(created_day, coalesce((SELECT max(day) FROM settlements), created_day));
