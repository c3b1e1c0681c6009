-- 010: where each settled day's release rows sit among the transfers. A day's settlement writes
-- its release rows before any transfer of its own; transfer_seq is the id of the last transfer
-- written before that (0: none), so a member's ledger orders the rows' legs exactly between
-- transfer transfer_seq and the next (src/core/ledger_key.h).
ALTER TABLE settlements ADD COLUMN transfer_seq INTEGER NOT NULL DEFAULT 0
    CHECK (transfer_seq >= 0);

-- The days settled before this migration, as exactly as the ledger tells:
--   - a day whose settlement wrote transfers (reference "day:D"): just before the first of them;
--   - any other day: the last transfer of no settlement written at or before the settlement's
--     time, kept after every transfer of the earlier days' settlements and before every
--     transfer of the later ones.
-- One scan of the transfers for each table below.
CREATE TEMP TABLE m010_day_ids AS
    WITH by_ref AS (SELECT ref, min(id) AS first_id, max(id) AS last_id FROM transfers
                    WHERE ref LIKE 'day:%' GROUP BY ref)
    SELECT s.day AS day, b.first_id AS first_id, b.last_id AS last_id
    FROM settlements s JOIN by_ref b ON b.ref = 'day:' || date(s.day * 86400, 'unixepoch');

CREATE TEMP TABLE m010_by_time AS
    SELECT day, last_id FROM (
        SELECT day, max(id) OVER (ORDER BY at, ord ROWS UNBOUNDED PRECEDING) AS last_id
        FROM (SELECT at, 0 AS ord, id, NULL AS day FROM transfers WHERE ref NOT LIKE 'day:%'
              UNION ALL
              SELECT settled_at, 1, NULL, day FROM settlements))
    WHERE day IS NOT NULL;

UPDATE settlements SET transfer_seq = coalesce(
    (SELECT first_id - 1 FROM m010_day_ids d WHERE d.day = settlements.day),
    min(coalesce((SELECT min(first_id) - 1 FROM m010_day_ids d WHERE d.day > settlements.day),
                 (SELECT coalesce(max(id), 0) FROM transfers)),
        max(coalesce((SELECT max(last_id) FROM m010_day_ids d WHERE d.day < settlements.day), 0),
            coalesce((SELECT last_id FROM m010_by_time t WHERE t.day = settlements.day), 0))));

DROP TABLE m010_day_ids;
DROP TABLE m010_by_time;
