-- 014: a settlement reads the member network (referrer, rank, own performance) of every member.
-- A service keeps it in memory from one settlement to the next and reads again only the members
-- marked here: new members (the default) and those whose rank or performance was written since
-- a settlement last read them; that settlement clears the marks in its transaction.
ALTER TABLE members ADD COLUMN net_dirty INTEGER NOT NULL DEFAULT 1;
CREATE INDEX members_net_dirty ON members(id) WHERE net_dirty = 1;
