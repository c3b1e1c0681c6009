-- 008: SMS codes (one live code per phone and purpose; only a hash of it is kept) and the outbox
-- of messages the `log` sender writes instead of sending.
CREATE TABLE sms_codes (
    phone      TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    used       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (phone, purpose)
) STRICT;

CREATE TABLE sms_outbox (
    id    INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    text  TEXT NOT NULL,
    at    INTEGER NOT NULL
) STRICT;
