-- An object may be queued for deletion later than now: a completed
-- upload's original key is deleted once its (unrevocable) S3 upload URL
-- has expired, so a late PUT to it cannot leave an object behind.
ALTER TABLE storage_garbage ADD COLUMN not_before BIGINT NOT NULL DEFAULT 0;
