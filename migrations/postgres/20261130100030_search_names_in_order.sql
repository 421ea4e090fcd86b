-- Search as you type at 100,000 songs: the best answers (a name equal to
-- the query, then names starting with it) come from a B-tree over names in
-- byte order (COLLATE "C", as SQLite compares), a few rows read whatever
-- the library's size. The other matches come newest first: `id` numbers
-- the rows in the order they were added (SQLite's rowid within the kind's
-- band), and (kind, id) lets a scan in that order stop at the page's end.
CREATE INDEX search_index_name_idx ON search_index (kind, name COLLATE "C", entity_id);
ALTER TABLE search_index ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE INDEX search_index_newest_idx ON search_index (kind, id);
