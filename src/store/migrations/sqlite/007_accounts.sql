-- 007: sign-in: sessions (tokens stored hashed, with expiry), admins, shop API keys.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,          -- SHA-256 of the token, hex; the token is never stored
    member     INTEGER,                   -- a member session, or
    admin      INTEGER,                   -- an admin session
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0,
    CHECK ((member IS NULL) <> (admin IS NULL))
) STRICT;

CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
    key_hash   TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
) STRICT;
