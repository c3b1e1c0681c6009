-- The members with a debt in an asset, for the settlement's repayments (few rows: a debt comes
-- from a claw-back that found too little), without a scan of every account. Its predicate
-- column (debt) is not what a settlement's balance updates change, so they stay in-page.
CREATE INDEX IF NOT EXISTS accounts_debt ON accounts(asset, owner) WHERE debt > 0;
