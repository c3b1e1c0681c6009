-- 001: the ledger, members, products, orders, wallet requests, rules, days.
-- Every table that grows with members is keyed (or indexed) by member, so that a distributed
-- store can shard by it. Amounts are INTEGER minor units; rates INTEGER ppm; times INTEGER Unix
-- seconds; days INTEGER days since 1970-01-01.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE members (
    id                 INTEGER PRIMARY KEY,          -- 1, 2, 3 ...: a referrer's id is lower
    ext_id             TEXT NOT NULL UNIQUE,
    phone              TEXT NOT NULL UNIQUE,
    referrer           INTEGER REFERENCES members(id),
    invite_code        TEXT NOT NULL UNIQUE,
    password_hash      TEXT,
    created_at         INTEGER NOT NULL,
    frozen_withdrawals INTEGER NOT NULL DEFAULT 0,
    frozen_all         INTEGER NOT NULL DEFAULT 0,
    rank               INTEGER NOT NULL DEFAULT -1   -- rank used by the latest settled day
) STRICT;
CREATE INDEX members_referrer ON members(referrer);

-- One row per (owner, asset) that has ever moved: id = owner * 16 + asset. Owners > 0 are
-- members; owners < 0 are system accounts.
CREATE TABLE accounts (
    id      INTEGER PRIMARY KEY,
    owner   INTEGER NOT NULL,
    asset   INTEGER NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0,
    debt    INTEGER NOT NULL DEFAULT 0 CHECK (debt >= 0)
) STRICT;
CREATE INDEX accounts_owner ON accounts(owner);

CREATE TABLE transfers (
    id     INTEGER PRIMARY KEY,
    debit  INTEGER NOT NULL,
    credit INTEGER NOT NULL,
    asset  INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    kind   TEXT NOT NULL,
    ref    TEXT NOT NULL,
    at     INTEGER NOT NULL,
    CHECK (debit <> credit)
) STRICT;
CREATE INDEX transfers_debit ON transfers(debit);
CREATE INDEX transfers_credit ON transfers(credit);
CREATE INDEX transfers_ref ON transfers(ref);

-- Every change of a member's debt, with its cause: the debt column is their sum.
CREATE TABLE debt_log (
    id      INTEGER PRIMARY KEY,
    account INTEGER NOT NULL,
    delta   INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    ref     TEXT NOT NULL,
    at      INTEGER NOT NULL
) STRICT;
CREATE INDEX debt_log_account ON debt_log(account);

CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    ext_id           TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    price            INTEGER NOT NULL CHECK (price >= 0),
    zone             INTEGER NOT NULL,
    stock            INTEGER,                        -- NULL: unlimited
    active           INTEGER NOT NULL DEFAULT 1,
    points           INTEGER,                        -- NULL: rules default
    points_rate      INTEGER,
    release_eligible INTEGER,
    ad_ratio         INTEGER,
    growth_ratio     INTEGER,
    points_price     INTEGER,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    ext_id          TEXT NOT NULL UNIQUE,
    member          INTEGER NOT NULL REFERENCES members(id),
    status          INTEGER NOT NULL,
    amount          INTEGER NOT NULL,   -- non-mall amount: what rewards are computed on
    cash            INTEGER NOT NULL,   -- money paid (or due, while pending)
    points_paid     INTEGER NOT NULL,   -- points taken as checkout offset
    points_value    INTEGER NOT NULL,   -- fen value of points_paid
    voucher_paid    INTEGER NOT NULL,
    mall_points     INTEGER NOT NULL,   -- points paid for mall items
    perf_cash       INTEGER NOT NULL,   -- performance paid in cash
    perf_points     INTEGER NOT NULL,   -- performance paid with points or voucher
    region          TEXT,
    offline         INTEGER NOT NULL,
    request_hash    TEXT NOT NULL,      -- idempotency: the same id with another body conflicts
    created_at      INTEGER NOT NULL,
    paid_at         INTEGER,
    completed_at    INTEGER,
    completed_day   INTEGER,
    refunded_at     INTEGER
) STRICT;
CREATE INDEX orders_member ON orders(member);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders(id),
    line             INTEGER NOT NULL,
    product          INTEGER NOT NULL REFERENCES products(id),
    qty              INTEGER NOT NULL,
    unit_price       INTEGER NOT NULL,
    zone             INTEGER NOT NULL,
    points           INTEGER,
    points_rate      INTEGER,
    release_eligible INTEGER,
    ad_ratio         INTEGER,
    growth_ratio     INTEGER,
    points_price     INTEGER,
    PRIMARY KEY (order_id, line)
) STRICT;

CREATE TABLE lots (
    id          INTEGER PRIMARY KEY,
    member      INTEGER NOT NULL REFERENCES members(id),
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    tier        INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    remaining   INTEGER NOT NULL CHECK (remaining >= 0),
    created_day INTEGER NOT NULL,
    closed      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX lots_member ON lots(member);

CREATE TABLE withdrawals (
    id          INTEGER PRIMARY KEY,
    ext_id      TEXT NOT NULL UNIQUE,
    member      INTEGER NOT NULL REFERENCES members(id),
    amount      INTEGER NOT NULL,
    fee         INTEGER NOT NULL DEFAULT 0,
    status      INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    reviewed_at INTEGER
) STRICT;
CREATE INDEX withdrawals_member_day ON withdrawals(member, day);

CREATE TABLE rules_versions (
    version       INTEGER PRIMARY KEY,
    effective_day INTEGER NOT NULL,
    doc           TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE settlements (
    day        INTEGER PRIMARY KEY,
    settled_at INTEGER NOT NULL,
    report     TEXT NOT NULL
) STRICT;

CREATE TABLE requests (
    key    TEXT PRIMARY KEY,
    hash   TEXT NOT NULL,
    result TEXT NOT NULL,
    at     INTEGER NOT NULL
) STRICT;

CREATE TABLE token_prices (
    id        INTEGER PRIMARY KEY,
    price_ppm INTEGER NOT NULL CHECK (price_ppm > 0),
    source    TEXT NOT NULL,
    at        INTEGER NOT NULL
) STRICT;

CREATE TABLE growth_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    pool   INTEGER NOT NULL,
    supply INTEGER NOT NULL
) STRICT;
INSERT INTO growth_state(id, pool, supply) VALUES (1, 0, 0);

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after  TEXT,
    at     INTEGER NOT NULL
) STRICT;
