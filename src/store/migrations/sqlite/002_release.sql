-- 002: what the release program and a settlement at scale need.
-- Own completed performance of each member, kept with every completion and refund, so that a
-- settlement reads one row per member instead of summing every order.
ALTER TABLE members ADD COLUMN perf_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN perf_cash INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN perf_points INTEGER NOT NULL DEFAULT 0;
UPDATE members SET
    perf_total = coalesce((SELECT sum(amount) FROM orders o WHERE o.member = members.id AND o.status = 2), 0),
    perf_cash = coalesce((SELECT sum(perf_cash) FROM orders o WHERE o.member = members.id AND o.status = 2), 0),
    perf_points = coalesce((SELECT sum(perf_points) FROM orders o WHERE o.member = members.id AND o.status = 2), 0);
-- orders completed after a day (to compute ranks of that day when later orders exist)
CREATE INDEX orders_completed_day ON orders(completed_day) WHERE completed_day IS NOT NULL;
-- the lots a settlement reads: open, by member in creation order (remaining is not in the
-- index's condition, so the daily update of every lot's remaining leaves the index alone)
CREATE INDEX lots_live ON lots(member, id) WHERE closed = 0;
CREATE UNIQUE INDEX lots_order ON lots(order_id);
-- settlement transfers all carry a day reference and are never looked up by it: index only the
-- other references (orders, withdrawals, requests)
DROP INDEX transfers_ref;
CREATE INDEX transfers_ref ON transfers(ref) WHERE ref NOT LIKE 'day:%';
-- a member's ledger is found through the member side of each transfer; the system side of a
-- transfer is never looked up row by row, so system accounts stay out of these indexes
DROP INDEX transfers_debit;
DROP INDEX transfers_credit;
CREATE INDEX transfers_debit ON transfers(debit) WHERE debit > 0;
CREATE INDEX transfers_credit ON transfers(credit) WHERE credit > 0;
