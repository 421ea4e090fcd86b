-- The first administrator made from the player (issue #18): one row at
-- most, so two people racing to set up a new server (on any instances)
-- cannot both become the first administrator.
CREATE TABLE first_admin (
    singleton  INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL
);
