-- Full-text search over songs, artists, albums and playlists. Each engine
-- has its own index (FTS5 in SQLite, a tsvector here) over the same rows,
-- which the application writes in search form (lower case, accents and
-- punctuation removed), so both find the same things. The 'simple'
-- configuration keeps every word as it is: no stemming, no stop words.
-- `name` is what the entity is called; `context` what it is filed under
-- (a song's artist and album, an album's artist, a playlist's description).
CREATE TABLE search_index (
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    context   TEXT NOT NULL,
    document  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', context), 'B')
    ) STORED,
    PRIMARY KEY (kind, entity_id)
);
CREATE INDEX search_index_document_idx ON search_index USING GIN (document);

-- What exists already, from the matching forms kept beside each name.
INSERT INTO search_index (kind, entity_id, name, context)
SELECT 'song', s.id, s.title_normalized, ar.name_normalized || ' ' || COALESCE(al.title_normalized, '')
FROM songs s JOIN artists ar ON ar.id = s.artist_id LEFT JOIN albums al ON al.id = s.album_id;
INSERT INTO search_index (kind, entity_id, name, context)
SELECT 'artist', id, name_normalized, '' FROM artists;
INSERT INTO search_index (kind, entity_id, name, context)
SELECT 'album', al.id, al.title_normalized, ar.name_normalized
FROM albums al JOIN artists ar ON ar.id = al.artist_id;
INSERT INTO search_index (kind, entity_id, name, context)
SELECT 'playlist', id, lower(name), lower(COALESCE(description, '')) FROM playlists;
