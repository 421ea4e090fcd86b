-- Songs carry their artist's and album's sort keys, so lists sorted by
-- artist or album read an index in order instead of sorting every song
-- of the library behind a join (at 100,000 songs: 1.8 s a page).
ALTER TABLE songs ADD COLUMN artist_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE songs ADD COLUMN album_sort TEXT NOT NULL DEFAULT '';
UPDATE songs SET
    artist_sort = (SELECT name_normalized FROM artists WHERE artists.id = songs.artist_id),
    album_sort = COALESCE((SELECT title_normalized FROM albums WHERE albums.id = songs.album_id), '');
CREATE INDEX songs_artist_sort_idx ON songs (artist_sort, id);
CREATE INDEX songs_album_sort_idx ON songs (album_sort, id);
