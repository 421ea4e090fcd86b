-- One row per sign-in (a refresh-token family). Every instance checks it
-- to honour a logout, a disabled account or a demotion within seconds, and
-- it bounds the session: an absolute end fixed at sign-in that refreshing
-- never moves, and a password confirmation ("sudo mode") for a while.
CREATE TABLE sessions (
    id              TEXT    NOT NULL PRIMARY KEY,
    user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    confirmed_until INTEGER
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at)
SELECT family_id, user_id, MIN(created_at), MAX(expires_at),
       CASE WHEN SUM(CASE WHEN revoked_at IS NULL AND rotated_at IS NULL THEN 1 ELSE 0 END) > 0
            THEN NULL ELSE MAX(COALESCE(revoked_at, rotated_at)) END
FROM refresh_tokens GROUP BY family_id, user_id;

-- A rotated token remembers its successor, so that presenting it again
-- within a few seconds (a retry, a second tab) returns the same new pair.
ALTER TABLE refresh_tokens ADD COLUMN successor_hash TEXT;
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- Set by a password change or "sign out everywhere": the enrolment stays,
-- but face login refuses it until the user confirms their password again.
ALTER TABLE face_enrolments ADD COLUMN suspended_at INTEGER;

-- Addresses an account has signed in from: its account-wide lockout does
-- not apply there, so guessers cannot lock the owner out.
CREATE TABLE known_sign_in_addresses (
    login        TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    last_seen_at INTEGER NOT NULL,
    PRIMARY KEY (login, address)
);
CREATE INDEX known_sign_in_addresses_seen_idx ON known_sign_in_addresses (last_seen_at);
