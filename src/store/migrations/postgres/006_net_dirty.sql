-- 006: the marks of the members whose network fields changed since a settlement read them (the
-- same as SQLite migration 014, whose comment explains it).
ALTER TABLE members ADD COLUMN net_dirty BIGINT NOT NULL DEFAULT 1;
CREATE INDEX members_net_dirty ON members(id) WHERE net_dirty = 1;
