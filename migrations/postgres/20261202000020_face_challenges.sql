-- Liveness challenges of face login (issue #18): single use (deleted when
-- answered), short-lived, kept in the database so that any instance can
-- check the answer.
CREATE TABLE face_challenges (
    id         TEXT    NOT NULL PRIMARY KEY,
    -- As typed at the challenge; compared case-insensitively at login.
    username   TEXT    NOT NULL,
    -- left or right: the person's own side.
    direction  TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX face_challenges_expiry_idx ON face_challenges (expires_at);
