-- Radio (issue #22): stations whose schedule any instance computes from
-- these rows and the clock.

CREATE TABLE stations (
    id                 TEXT    NOT NULL PRIMARY KEY,
    name               TEXT    NOT NULL,
    description        TEXT,
    cover_object_key   TEXT,
    source_kind        TEXT    NOT NULL
        CHECK (source_kind IN ('playlist', 'playlist_shuffled', 'library', 'genre')),
    -- The playlist of the playlist sources; a deleted playlist leaves the
    -- station with nothing to play rather than deleting it.
    source_playlist_id TEXT    REFERENCES playlists (id) ON DELETE SET NULL,
    source_genre       TEXT,
    is_public          BOOLEAN NOT NULL DEFAULT FALSE,
    -- The shuffle's seed, fixed when the station is made.
    seed               BIGINT  NOT NULL,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX stations_created_idx ON stations (created_at, id);

-- A schedule epoch: from `starts_at` (Unix ms, always a song boundary of
-- the epoch before) the station plays these songs in `position` order,
-- cycling, until the next epoch starts. `fingerprint` names the source and
-- song list it was made from, so a change is seen by comparing it. The
-- primary key makes two instances that detect the same change insert one
-- epoch.
CREATE TABLE station_epochs (
    station_id   TEXT    NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    starts_at    BIGINT  NOT NULL,
    fingerprint  TEXT    NOT NULL,
    total_frames BIGINT  NOT NULL CHECK (total_frames >= 0),
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (station_id, starts_at)
);

-- The epoch's songs, materialised in play order with their length in MP3
-- frames (1152 samples at 44.1 kHz), so no later change to the library or
-- a playlist can move what an epoch plays. No foreign key to songs: a
-- deleted song keeps its slot (silence) until the next epoch.
CREATE TABLE station_epoch_songs (
    station_id TEXT    NOT NULL,
    starts_at  BIGINT  NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    song_id    TEXT    NOT NULL,
    frames     INTEGER NOT NULL CHECK (frames > 0),
    PRIMARY KEY (station_id, starts_at, position),
    FOREIGN KEY (station_id, starts_at)
        REFERENCES station_epochs (station_id, starts_at) ON DELETE CASCADE
);
