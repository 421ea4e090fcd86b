-- Cached translations unused for SOUNDSTREAM_TRANSLATION_CACHE_DAYS are
-- deleted by the periodic clean-up; a hit refreshes last_used_at (at most
-- once a day, so reads stay reads).
ALTER TABLE translation_cache ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
UPDATE translation_cache SET last_used_at = created_at;
CREATE INDEX translation_cache_last_used_idx ON translation_cache (last_used_at);
