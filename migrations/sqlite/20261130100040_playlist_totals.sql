-- A playlist's song count and length are kept on the playlist, so lists
-- and search answer them without reading every entry (at 200 entries a
-- playlist, summing durations cost about a millisecond per playlist shown).
-- Triggers keep them exact, however entries go: added, removed, or
-- cascaded away with their song.
ALTER TABLE playlists ADD COLUMN song_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE playlists ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0;
UPDATE playlists SET
    song_count = (SELECT COUNT(*) FROM playlist_entries e WHERE e.playlist_id = playlists.id),
    duration_ms = (SELECT COALESCE(SUM(s.duration_ms), 0) FROM playlist_entries e
                   JOIN songs s ON s.id = e.song_id WHERE e.playlist_id = playlists.id);

CREATE TRIGGER playlist_entries_added AFTER INSERT ON playlist_entries BEGIN
    UPDATE playlists SET
        song_count = song_count + 1,
        duration_ms = duration_ms + (SELECT duration_ms FROM songs WHERE id = new.song_id)
    WHERE id = new.playlist_id;
END;
-- Counted again rather than subtracted: when a song's deletion cascades
-- here, its row (and duration) may already be gone.
CREATE TRIGGER playlist_entries_removed AFTER DELETE ON playlist_entries BEGIN
    UPDATE playlists SET
        song_count = (SELECT COUNT(*) FROM playlist_entries e WHERE e.playlist_id = old.playlist_id),
        duration_ms = (SELECT COALESCE(SUM(s.duration_ms), 0) FROM playlist_entries e
                       JOIN songs s ON s.id = e.song_id WHERE e.playlist_id = old.playlist_id)
    WHERE id = old.playlist_id;
END;
