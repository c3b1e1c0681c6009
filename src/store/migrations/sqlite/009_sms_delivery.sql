-- 009: the delivery state of each SMS outbox message.
--   logged   written by the `log` sender: kept in the table, nothing is sent (the default)
--   pending  waiting for the `http` sender; its next try is due at next_at (Unix seconds)
--   sent     the provider accepted it (done_at)
--   failed   given up after the last try, or too old to be of use (done_at, last_error)
-- tries counts the deliveries tried. A message a sender gave up on is kept, as is its code.
ALTER TABLE sms_outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'logged'
    CHECK (status IN ('logged', 'pending', 'sent', 'failed'));
ALTER TABLE sms_outbox ADD COLUMN tries INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0);
ALTER TABLE sms_outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sms_outbox ADD COLUMN done_at INTEGER;
ALTER TABLE sms_outbox ADD COLUMN last_error TEXT;

-- the sender's poll reads only what is pending, in the order it is due
CREATE INDEX sms_outbox_pending ON sms_outbox(next_at, id) WHERE status = 'pending';
