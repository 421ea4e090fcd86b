-- A playlist's song count and length are kept on the playlist, so lists
-- and search answer them without reading every entry (at 200 entries a
-- playlist, summing durations cost about a millisecond per playlist shown).
-- A trigger keeps them exact, however entries go: added, removed, or
-- cascaded away with their song.
ALTER TABLE playlists
    ADD COLUMN song_count BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN duration_ms BIGINT NOT NULL DEFAULT 0;
UPDATE playlists SET
    song_count = (SELECT COUNT(*) FROM playlist_entries e WHERE e.playlist_id = playlists.id),
    duration_ms = (SELECT COALESCE(SUM(s.duration_ms), 0) FROM playlist_entries e
                   JOIN songs s ON s.id = e.song_id WHERE e.playlist_id = playlists.id);

CREATE FUNCTION playlist_totals_follow_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE playlists SET
            song_count = song_count + 1,
            duration_ms = duration_ms + (SELECT duration_ms FROM songs WHERE id = NEW.song_id)
        WHERE id = NEW.playlist_id;
    ELSE
        -- Counted again rather than subtracted: when a song's deletion
        -- cascades here, its row (and duration) is already gone.
        UPDATE playlists SET
            song_count = (SELECT COUNT(*) FROM playlist_entries e WHERE e.playlist_id = OLD.playlist_id),
            duration_ms = (SELECT COALESCE(SUM(s.duration_ms), 0) FROM playlist_entries e
                           JOIN songs s ON s.id = e.song_id WHERE e.playlist_id = OLD.playlist_id)
        WHERE id = OLD.playlist_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER playlist_entries_totals AFTER INSERT OR DELETE ON playlist_entries
    FOR EACH ROW EXECUTE FUNCTION playlist_totals_follow_entries();
