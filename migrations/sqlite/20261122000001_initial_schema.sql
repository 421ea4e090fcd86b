-- SoundStream initial schema (SQLite). migrations/postgres holds the same
-- schema for PostgreSQL; a test compares the two.
-- Ids are UUIDv7 text; times are Unix milliseconds (INTEGER); flags are
-- INTEGER 0/1 (BOOLEAN in PostgreSQL).

CREATE TABLE users (
    id                 TEXT    NOT NULL PRIMARY KEY,
    username           TEXT    NOT NULL,
    email              TEXT    NOT NULL,
    display_name       TEXT    NOT NULL,
    password_hash      TEXT    NOT NULL,
    role               TEXT    NOT NULL DEFAULT 'listener' CHECK (role IN ('admin', 'listener')),
    disabled           INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    preferred_language TEXT,
    avatar_upload_id   TEXT    REFERENCES uploads (id) ON DELETE SET NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_idx ON users (created_at, id);

-- Objects in media storage, from the upload session to their deletion.
CREATE TABLE uploads (
    id            TEXT    NOT NULL PRIMARY KEY,
    owner_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('audio', 'image')),
    status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'complete')),
    object_key    TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    filename      TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    completed_at  INTEGER
);
CREATE UNIQUE INDEX uploads_object_key_key ON uploads (object_key);
CREATE INDEX uploads_owner_idx ON uploads (owner_id);
CREATE INDEX uploads_status_created_idx ON uploads (status, created_at);

CREATE TABLE face_enrolments (
    user_id          TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    provider         TEXT    NOT NULL,
    image_object_key TEXT    NOT NULL,
    -- What a provider keeps besides the image (an offline face descriptor).
    template         BLOB,
    created_at       INTEGER NOT NULL
);

CREATE TABLE refresh_tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Every rotation of one login shares a family; reuse revokes it whole.
    family_id   TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    rotated_at  INTEGER,
    revoked_at  INTEGER
);
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE artists (
    id              TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    -- Lower-cased and accent-folded, for matching "Beyonce" to "Beyoncé".
    name_normalized TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX artists_name_normalized_key ON artists (name_normalized);

CREATE TABLE albums (
    id               TEXT    NOT NULL PRIMARY KEY,
    artist_id        TEXT    NOT NULL REFERENCES artists (id) ON DELETE RESTRICT,
    title            TEXT    NOT NULL,
    title_normalized TEXT    NOT NULL,
    year             INTEGER,
    cover_object_key TEXT,
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX albums_artist_title_key ON albums (artist_id, title_normalized);

CREATE TABLE songs (
    id               TEXT    NOT NULL PRIMARY KEY,
    title            TEXT    NOT NULL,
    title_normalized TEXT    NOT NULL,
    artist_id        TEXT    NOT NULL REFERENCES artists (id) ON DELETE RESTRICT,
    album_id         TEXT    REFERENCES albums (id) ON DELETE SET NULL,
    track_number     INTEGER CHECK (track_number > 0),
    disc_number      INTEGER CHECK (disc_number > 0),
    year             INTEGER,
    duration_ms      INTEGER NOT NULL CHECK (duration_ms >= 0),
    audio_object_key TEXT    NOT NULL,
    content_type     TEXT    NOT NULL,
    size_bytes       INTEGER NOT NULL CHECK (size_bytes >= 0),
    -- SHA-256 of the audio bytes, so a re-run import skips what it has.
    content_hash     TEXT,
    cover_object_key TEXT,
    lyrics           TEXT,
    lyrics_language  TEXT,
    uploaded_by      TEXT    REFERENCES users (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX songs_content_hash_key ON songs (content_hash);
CREATE INDEX songs_artist_idx ON songs (artist_id);
CREATE INDEX songs_album_idx ON songs (album_id, disc_number, track_number);
CREATE INDEX songs_created_idx ON songs (created_at, id);

CREATE TABLE playlists (
    id               TEXT    NOT NULL PRIMARY KEY,
    owner_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    description      TEXT,
    cover_object_key TEXT,
    is_public        INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX playlists_owner_idx ON playlists (owner_id, created_at);
CREATE INDEX playlists_public_idx ON playlists (is_public, created_at);

-- Ordered entries; the same song may appear more than once.
CREATE TABLE playlist_entries (
    id          TEXT    NOT NULL PRIMARY KEY,
    playlist_id TEXT    NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    song_id     TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    added_at    INTEGER NOT NULL
);
CREATE INDEX playlist_entries_order_idx ON playlist_entries (playlist_id, position);
CREATE INDEX playlist_entries_song_idx ON playlist_entries (song_id);

CREATE TABLE favorites (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    song_id    TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, song_id)
);
CREATE INDEX favorites_song_idx ON favorites (song_id);

CREATE TABLE play_history (
    id        TEXT    NOT NULL PRIMARY KEY,
    user_id   TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    song_id   TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    played_at INTEGER NOT NULL
);
CREATE INDEX play_history_user_idx ON play_history (user_id, played_at);
CREATE INDEX play_history_song_idx ON play_history (song_id);

-- Shared by every instance: a translation is paid for once.
CREATE TABLE translation_cache (
    text_hash       TEXT    NOT NULL,
    -- 'auto' when the provider detected the source language.
    source_language TEXT    NOT NULL,
    target_language TEXT    NOT NULL,
    provider        TEXT    NOT NULL,
    translated_text TEXT    NOT NULL,
    detected_source TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (text_hash, source_language, target_language, provider)
);
