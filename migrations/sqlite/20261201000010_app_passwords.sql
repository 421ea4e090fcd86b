-- App passwords: secrets a user makes for Subsonic apps (issue #19). One
-- secret works as a password, as an md5 salted token and as an API key, so
-- the server must be able to recover it: it is kept encrypted with a key
-- derived from the server's secret, and found by its SHA-256 for API keys.
CREATE TABLE app_passwords (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    -- hex(nonce || AES-256-GCM ciphertext and tag)
    secret_sealed TEXT    NOT NULL,
    -- hex(SHA-256(secret))
    secret_hash   TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);
CREATE UNIQUE INDEX app_passwords_secret_hash_key ON app_passwords (secret_hash);
CREATE INDEX app_passwords_user_idx ON app_passwords (user_id, created_at);
