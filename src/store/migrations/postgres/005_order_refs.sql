-- 005: only an order's references are looked up (the same as SQLite migration 013, whose comment
-- explains it).
DROP INDEX transfers_ref;
CREATE INDEX transfers_ref ON transfers(ref) WHERE ref LIKE 'order:%';
