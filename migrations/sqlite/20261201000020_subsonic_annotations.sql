-- What the Subsonic API keeps beyond favourites and plays (issue #19).
--
-- Genre, bit rate and sample rate are read from the file at ingest. Songs
-- filed before this migration have none: their audio is in media storage,
-- and reading every object again here is not something a migration can do;
-- they stay NULL until re-imported, and apps show them without a genre.
ALTER TABLE songs ADD COLUMN genre TEXT;
ALTER TABLE songs ADD COLUMN bit_rate_kbps INTEGER CHECK (bit_rate_kbps > 0);
ALTER TABLE songs ADD COLUMN sample_rate_hz INTEGER CHECK (sample_rate_hz > 0);
CREATE INDEX songs_genre_idx ON songs (genre, title_normalized, id);

-- Starred albums and artists (starred songs are the favourites).
CREATE TABLE album_stars (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    album_id   TEXT    NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, album_id)
);
CREATE INDEX album_stars_album_idx ON album_stars (album_id);

CREATE TABLE artist_stars (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    artist_id  TEXT    NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, artist_id)
);
CREATE INDEX artist_stars_artist_idx ON artist_stars (artist_id);

-- A listener's ratings, 1 to 5; rating 0 in the API removes the row.
CREATE TABLE song_ratings (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    song_id    TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, song_id)
);
CREATE INDEX song_ratings_song_idx ON song_ratings (song_id);

CREATE TABLE album_ratings (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    album_id   TEXT    NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, album_id)
);
CREATE INDEX album_ratings_album_idx ON album_ratings (album_id);

CREATE TABLE artist_ratings (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    artist_id  TEXT    NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, artist_id)
);
CREATE INDEX artist_ratings_artist_idx ON artist_ratings (artist_id);

-- Where a listener stopped in a song (audiobooks, long mixes).
CREATE TABLE bookmarks (
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    song_id     TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    position_ms INTEGER NOT NULL CHECK (position_ms >= 0),
    comment     TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, song_id)
);
CREATE INDEX bookmarks_song_idx ON bookmarks (song_id);

-- The one saved play queue of each listener, so it moves between devices.
CREATE TABLE play_queues (
    user_id         TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    current_song_id TEXT    REFERENCES songs (id) ON DELETE SET NULL,
    position_ms     INTEGER NOT NULL CHECK (position_ms >= 0),
    changed_at      INTEGER NOT NULL,
    changed_by      TEXT    NOT NULL
);
CREATE INDEX play_queues_current_idx ON play_queues (current_song_id);

CREATE TABLE play_queue_entries (
    user_id  TEXT    NOT NULL REFERENCES play_queues (user_id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    song_id  TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, position)
);
CREATE INDEX play_queue_entries_song_idx ON play_queue_entries (song_id);

-- What each listener is playing now, from the apps' "now playing"
-- notifications; read only while recent.
CREATE TABLE now_playing (
    user_id    TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    song_id    TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    client     TEXT    NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE INDEX now_playing_started_idx ON now_playing (started_at);
CREATE INDEX now_playing_song_idx ON now_playing (song_id);
