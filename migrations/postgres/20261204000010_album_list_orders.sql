-- The orders of OpenSubsonic's getAlbumList2 (newest, by name, by year),
-- read in index order so a page stops at its end instead of sorting every
-- album of a large library.
CREATE INDEX albums_created_idx ON albums (created_at, id);
CREATE INDEX albums_title_idx ON albums (title_normalized, id);
CREATE INDEX albums_year_idx ON albums (year, title_normalized, id);
