-- 003: the release ledger. A release moves one amount in two assets at once: locked points out
-- of the member into `sink` (locked) and points from `issuance` into the member. One row is
-- that double transfer, for one member, one kind and one day: kind 0 static, 1 share, 2 team,
-- 3 peer. Rows are written in key order by the daily settlement (an append), and a member's
-- history is read day by day through the key.
CREATE TABLE releases (
    day    INTEGER NOT NULL,
    member INTEGER NOT NULL,
    kind   INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
    amount INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (day, member, kind)
) STRICT, WITHOUT ROWID;
