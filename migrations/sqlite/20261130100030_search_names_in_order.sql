-- Search as you type at 100,000 songs: the best answers (a name equal to
-- the query, then names starting with it) come from a B-tree over names in
-- order, a few rows read whatever the library's size; what is left of the
-- page comes from FTS5, newest first (in rowid order, stopping at the
-- page's end rather than scoring every match). The rows move to a plain table,
-- `search_index`, with that index; the FTS5 table `search_text` indexes
-- their text as external content, kept in step by triggers.
--
-- `id` puts each kind in its own band of 2^40 rowids (song 1, artist 2,
-- album 3, playlist 4), so a full-text query for one kind reads only that
-- band of the FTS5 index (a rowid range FTS5 serves), not every kind's
-- matches. `persistence::search_index` allocates ids in the band.
CREATE TABLE search_entries (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    context   TEXT NOT NULL,
    UNIQUE (kind, entity_id)
);
INSERT INTO search_entries (id, kind, entity_id, name, context)
SELECT CASE kind WHEN 'song' THEN 1 WHEN 'artist' THEN 2 WHEN 'album' THEN 3 ELSE 4 END
           * 1099511627776 + rowid,
       kind, entity_id, name, context
FROM search_index;
DROP TABLE search_index;
ALTER TABLE search_entries RENAME TO search_index;
CREATE INDEX search_index_name_idx ON search_index (kind, name, entity_id);

CREATE VIRTUAL TABLE search_text USING fts5(
    name,
    context,
    content = 'search_index',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO search_text (search_text) VALUES ('rebuild');

CREATE TRIGGER search_index_inserted AFTER INSERT ON search_index BEGIN
    INSERT INTO search_text (rowid, name, context) VALUES (new.id, new.name, new.context);
END;
CREATE TRIGGER search_index_deleted AFTER DELETE ON search_index BEGIN
    INSERT INTO search_text (search_text, rowid, name, context)
    VALUES ('delete', old.id, old.name, old.context);
END;
CREATE TRIGGER search_index_updated AFTER UPDATE ON search_index BEGIN
    INSERT INTO search_text (search_text, rowid, name, context)
    VALUES ('delete', old.id, old.name, old.context);
    INSERT INTO search_text (rowid, name, context) VALUES (new.id, new.name, new.context);
END;
