-- 003: the release ledger. A release moves one amount in two assets at once: locked points out
-- of the member into `sink` (locked) and points from `issuance` into the member. One row holds
-- a member's releases of one day, one amount per kind (static, share, team, peer): each
-- non-zero amount is that double transfer. The daily settlement appends rows in key order, and
-- a member's history is read day by day through the key.
CREATE TABLE releases (
    day    INTEGER NOT NULL,
    member INTEGER NOT NULL,
    static INTEGER NOT NULL CHECK (static >= 0),
    share  INTEGER NOT NULL CHECK (share >= 0),
    team   INTEGER NOT NULL CHECK (team >= 0),
    peer   INTEGER NOT NULL CHECK (peer >= 0),
    PRIMARY KEY (day, member),
    CHECK (static + share + team + peer > 0)
) STRICT, WITHOUT ROWID;
