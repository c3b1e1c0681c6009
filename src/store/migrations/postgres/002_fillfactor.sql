-- The daily settlement rewrites a row of most members' accounts, of the lots a release drew on,
-- and of members whose rank changed. With half of every page left free, PostgreSQL writes the
-- new version of such a row on the same page and leaves the indexes alone (a heap-only update):
-- no index changes, a third of the log, and the old versions are pruned in place.
ALTER TABLE accounts SET (fillfactor = 50);
ALTER TABLE lots SET (fillfactor = 50);
ALTER TABLE members SET (fillfactor = 70);
