-- Background work (issue #21): a job queue every API instance works on,
-- renditions made once at ingest, and loudness measured per track and
-- album.

-- One row per piece of work on one subject (a song). A worker claims a
-- job by setting it running with a lease and a fresh claim token; a
-- running job whose lease ran out (its instance died) is claimed again.
-- Only the holder of the current token can finish it.
CREATE TABLE jobs (
    id          TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('renditions', 'analysis')),
    subject_id  TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_after   INTEGER NOT NULL,
    claim_token TEXT,
    claimed_by  TEXT,
    lease_until INTEGER,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- At most one unfinished job per kind and subject: enqueueing twice is a
-- no-op.
CREATE UNIQUE INDEX jobs_unfinished_key ON jobs (kind, subject_id)
    WHERE state IN ('queued', 'running');
CREATE INDEX jobs_ready_idx ON jobs (state, run_after, id);
CREATE INDEX jobs_updated_idx ON jobs (state, updated_at);

-- Smaller encodings of a song, kept in media storage beside the original.
CREATE TABLE renditions (
    song_id       TEXT    NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL CHECK (name IN ('opus-96', 'opus-160', 'aac-128', 'mp3-128')),
    object_key    TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    bit_rate_kbps INTEGER NOT NULL CHECK (bit_rate_kbps > 0),
    size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0),
    duration_ms   INTEGER NOT NULL CHECK (duration_ms >= 0),
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (song_id, name)
);

-- Measured by the analysis job (EBU R128): integrated loudness in LUFS and
-- true peak in dBTP. Channels come from the decoder.
ALTER TABLE songs ADD COLUMN channels INTEGER CHECK (channels > 0);
ALTER TABLE songs ADD COLUMN loudness_lufs REAL;
ALTER TABLE songs ADD COLUMN true_peak_dbtp REAL;
-- The album's loudness, combined from its analysed tracks.
ALTER TABLE albums ADD COLUMN loudness_lufs REAL;
ALTER TABLE albums ADD COLUMN true_peak_dbtp REAL;

-- Songs filed before this migration get their analysis (loudness, and the
-- genre, bit rate, sample rate and channels ingest did not read) and
-- renditions from the queue, like new ones.
INSERT INTO jobs (id, kind, subject_id, state, attempts, run_after, created_at, updated_at)
SELECT 'backfill-analysis-' || id, 'analysis', id, 'queued', 0, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM songs;
INSERT INTO jobs (id, kind, subject_id, state, attempts, run_after, created_at, updated_at)
SELECT 'backfill-renditions-' || id, 'renditions', id, 'queued', 0, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM songs;
