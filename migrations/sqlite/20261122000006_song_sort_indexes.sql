-- Song lists sorted by title or duration read these indexes in order (with
-- the id that breaks ties) instead of sorting the whole library per page.
CREATE INDEX songs_title_idx ON songs (title_normalized, id);
CREATE INDEX songs_duration_idx ON songs (duration_ms, id);
