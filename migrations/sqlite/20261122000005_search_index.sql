-- Full-text search over songs, artists, albums and playlists. Each engine
-- has its own index (FTS5 here, a tsvector in PostgreSQL) over the same
-- rows, which the application writes in search form (lower case, accents
-- and punctuation removed), so both find the same things.
-- `name` is what the entity is called; `context` what it is filed under
-- (a song's artist and album, an album's artist, a playlist's description).
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    entity_id UNINDEXED,
    name,
    context,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

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
