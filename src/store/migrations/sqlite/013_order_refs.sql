-- 013: transfers are looked up by their reference only for an order's refund, which finds what
-- the order paid and credited ("order:<id>"). Index those references alone: a sign-in, an
-- exchange or a withdrawal then costs one index insertion less, and the index is a fraction of
-- its size. The lookups name the same condition, so that the planner may use the index.
DROP INDEX transfers_ref;
CREATE INDEX transfers_ref ON transfers(ref) WHERE ref LIKE 'order:%';
