-- Objects whose database rows are gone (deleted songs, replaced avatars,
-- expired uploads): a periodic task deletes them from media storage. Each
-- row is claimed by exactly one instance (DELETE … RETURNING).
CREATE TABLE storage_garbage (
    object_key  TEXT    NOT NULL PRIMARY KEY,
    enqueued_at INTEGER NOT NULL
);
CREATE INDEX storage_garbage_enqueued_idx ON storage_garbage (enqueued_at);
