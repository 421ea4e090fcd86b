-- An import holds its pending uploads while it works on them, renewing
-- the hold; once a hold lapses (the import was killed), the sweeper and the
-- next import release them at once instead of a day later.
ALTER TABLE uploads ADD COLUMN held_until BIGINT;
