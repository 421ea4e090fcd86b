-- Search as you type with a new query each time, at 100,000 songs.
--
-- One FTS5 table per kind (was one for all, each kind in a band of
-- rowids): a query for artists or playlists walked the doclists of the
-- whole library to find its band, about a millisecond per query for a
-- few thousand rows, and a search runs up to eight of them. Each table's
-- content is a view of its kind's rows of `search_index`.
--
-- Prefixes of up to eight characters are indexed (were three): a longer
-- prefix ("cancio") made FTS5 merge the doclists of every word starting
-- with it before yielding a row. Positions were never used (no phrase or
-- NEAR queries, no snippets), so the index keeps only which column holds
-- a word (`detail = column`): smaller doclists.
--
-- Newest first becomes ascending rowid order, the direction FTS5 stores
-- doclists in (read backwards, each page had to be decoded and indexed
-- first): within each kind's band, ids now count down from the band's top
-- (`persistence::search_index::insert`). Existing ids are mirrored within
-- their band: `band + (band + 2^40 - 1) - id`.
DROP TRIGGER search_index_inserted;
DROP TRIGGER search_index_deleted;
DROP TRIGGER search_index_updated;
DROP TABLE search_text;

UPDATE search_index SET id = 2 * ((id >> 40) << 40) + (1 << 40) - 1 - id;

CREATE VIEW search_songs AS SELECT id, name, context FROM search_index WHERE kind = 'song';
CREATE VIEW search_artists AS SELECT id, name, context FROM search_index WHERE kind = 'artist';
CREATE VIEW search_albums AS SELECT id, name, context FROM search_index WHERE kind = 'album';
CREATE VIEW search_playlists AS SELECT id, name, context FROM search_index WHERE kind = 'playlist';

CREATE VIRTUAL TABLE song_text USING fts5(
    name,
    context,
    content = 'search_songs',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6 7 8',
    detail = column
);
INSERT INTO song_text (song_text) VALUES ('rebuild');
CREATE VIRTUAL TABLE artist_text USING fts5(
    name,
    context,
    content = 'search_artists',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6 7 8',
    detail = column
);
INSERT INTO artist_text (artist_text) VALUES ('rebuild');
CREATE VIRTUAL TABLE album_text USING fts5(
    name,
    context,
    content = 'search_albums',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6 7 8',
    detail = column
);
INSERT INTO album_text (album_text) VALUES ('rebuild');
CREATE VIRTUAL TABLE playlist_text USING fts5(
    name,
    context,
    content = 'search_playlists',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6 7 8',
    detail = column
);
INSERT INTO playlist_text (playlist_text) VALUES ('rebuild');

-- A row never changes kind: an update is a delete and an insert in its
-- kind's table.
CREATE TRIGGER search_index_inserted AFTER INSERT ON search_index BEGIN
    INSERT INTO song_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'song';
    INSERT INTO artist_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'artist';
    INSERT INTO album_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'album';
    INSERT INTO playlist_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'playlist';
END;
CREATE TRIGGER search_index_deleted AFTER DELETE ON search_index BEGIN
    INSERT INTO song_text (song_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'song';
    INSERT INTO artist_text (artist_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'artist';
    INSERT INTO album_text (album_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'album';
    INSERT INTO playlist_text (playlist_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'playlist';
END;
CREATE TRIGGER search_index_updated AFTER UPDATE ON search_index BEGIN
    INSERT INTO song_text (song_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'song';
    INSERT INTO artist_text (artist_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'artist';
    INSERT INTO album_text (album_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'album';
    INSERT INTO playlist_text (playlist_text, rowid, name, context)
    SELECT 'delete', old.id, old.name, old.context WHERE old.kind = 'playlist';
    INSERT INTO song_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'song';
    INSERT INTO artist_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'artist';
    INSERT INTO album_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'album';
    INSERT INTO playlist_text (rowid, name, context)
    SELECT new.id, new.name, new.context WHERE new.kind = 'playlist';
END;
